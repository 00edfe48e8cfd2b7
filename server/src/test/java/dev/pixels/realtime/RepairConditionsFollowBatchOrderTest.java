package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasEditor.Edit;
import dev.pixels.canvas.CanvasEditor.EditResult;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.identity.Identity;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A batch is built before it is stored, without touching the canvas; its repair conditions and
 * previous colours must still be those of the batch's own order: an edit sees the edits before it
 * in the same chunk, and a painter's pixel in the same batch sees the repair.
 */
class RepairConditionsFollowBatchOrderTest {

  @Test
  void aRepairEditExpectingAnEarlierEditsColourAppliesAndAPainterAfterItRecordsItsColour() throws Exception {
    Canvas canvas = new Canvas(16, 16);
    LinkedBlockingQueue<Long> acks = new LinkedBlockingQueue<>();
    PixelReply reply = new PixelReply() {
      @Override public Object lane() { return this; }
      @Override public void execute(Runnable task) { task.run(); }
      @Override public void ack(PixelRequest request, long seq) { acks.add(seq); }
      @Override public void reject(PixelRequest request, Verdict.Rejection rejection) { acks.add(-1L); }
    };
    try (PixelStore store = PixelStores.memory();
        PixelBatcher batcher = new PixelBatcher(canvas, store, batch -> { }, Duration.ofMillis(5), 10,
            InstantSource.system())) {
      // Queued before the batcher starts, so that the repair's chunk and the pixel share one batch.
      assertThat(batcher.offer(new PixelRequest(new Identity("painter", Identity.Role.USER, "127.0.0.1"), reply,
          "p", 5, 5, 4, Tool.BRUSH, System.nanoTime()))).isTrue();
      CompletableFuture<EditResult> repair = batcher.apply(List.of(
          new Edit(5, 5, 9, 0), new Edit(5, 5, 11, 9), new Edit(6, 5, 12, 1)), "moderator", Tool.BRUSH);
      batcher.start();

      EditResult result = repair.get(10, TimeUnit.SECONDS);
      assertThat(acks.poll(10, TimeUnit.SECONDS)).isEqualTo(3L);
      assertThat(result.pixelsChanged()).as("the second edit expects the first's colour; the third is skipped")
          .isEqualTo(2);
      List<PixelChange> logged = new ArrayList<>();
      store.replay(0, logged::add);
      assertThat(logged).extracting(PixelChange::color).containsExactly(9, 11, 4);
      assertThat(logged).extracting(PixelChange::previousColor).containsExactly(0, 9, 11);
      assertThat(batcher.snapshot().pixels()[5 * 16 + 5]).isEqualTo((byte) 4);
      assertThat(batcher.snapshot().pixels()[5 * 16 + 6]).isZero();
    }
  }
}
