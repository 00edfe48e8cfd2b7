package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.identity.Identity;
import dev.pixels.storage.PixelStores;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher on its own: an in-memory store, a fan-out and painters' replies that record what they
 * are given. No Vert.x and no sockets; the batcher thread runs for real, so answers are awaited
 * with a bounded wait.
 */
class PixelBatcherTest {
  private static final Identity PAINTER = new Identity("painter-1", Identity.Role.USER, "127.0.0.1");

  private final Canvas canvas = new Canvas(16, 16);
  private final FailingStore store = new FailingStore(PixelStores.memory(), "the disk is full");
  private final List<CommittedBatch> published = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final PixelBatcher batcher = new PixelBatcher(canvas, store, published::add, Duration.ofMillis(5), 100,
      InstantSource.system());

  @AfterEach
  void stop() throws InterruptedException {
    batcher.stop(Duration.ofSeconds(5));
    store.close();
  }

  @Test
  void pixelsAreAckedWithConsecutiveSeqsOnlyOnceTheStoreHoldsThem() throws InterruptedException {
    RecordingReply reply = new RecordingReply("loop-1");
    offer(reply, "a", 1, 1, 3);
    offer(reply, "b", 2, 1, 4);
    offer(reply, "c", 3, 1, 5);
    batcher.start();

    List<Answer> got = take(3);
    assertThat(got).extracting(Answer::clientId).containsExactly("a", "b", "c");
    assertThat(got).extracting(Answer::seq).containsExactly(1L, 2L, 3L);
    assertThat(got).extracting(Answer::storedAtAnswer).containsOnly(true);
    assertThat(batcher.seq()).isEqualTo(3);
    CanvasSnapshot snapshot = batcher.snapshot();
    assertThat(snapshot.seq()).isEqualTo(3);
    assertThat(snapshot.pixels()[16 + 1]).isEqualTo((byte) 3);
    assertThat(snapshot.pixels()[16 + 3]).isEqualTo((byte) 5);
    assertThat(published).hasSize(1);
    assertThat(published.get(0).fromSeq()).isEqualTo(1);
    assertThat(published.get(0).toSeq()).isEqualTo(3);
  }

  @Test
  void aPixelPaintedTwiceInOneBatchRecordsTheFirstColourAsThePreviousOfTheSecond() throws InterruptedException {
    RecordingReply reply = new RecordingReply("loop-1");
    offer(reply, "first", 7, 7, 2);
    offer(reply, "second", 7, 7, 6);
    batcher.start();

    take(2);
    List<PixelChange> logged = logged();
    assertThat(logged).extracting(PixelChange::previousColor).containsExactly(0, 2);
    assertThat(batcher.snapshot().pixels()[7 * 16 + 7]).isEqualTo((byte) 6);
  }

  @Test
  void theAnswersOfABatchTakeOneTaskPerLane() throws InterruptedException {
    RecordingReply loopA = new RecordingReply("loop-a");
    RecordingReply loopB = new RecordingReply("loop-b");
    RecordingReply loopAOther = new RecordingReply(loopA.lane());
    offer(loopA, "a1", 0, 0, 1);
    offer(loopB, "b1", 1, 0, 1);
    offer(loopAOther, "a2", 2, 0, 1);
    offer(loopB, "b2", 3, 0, 1);
    offer(loopA, "a3", 4, 0, 1);
    batcher.start();

    take(5);
    assertThat(loopA.tasks.get() + loopAOther.tasks.get()).as("tasks for the first lane").isEqualTo(1);
    assertThat(loopB.tasks.get()).as("tasks for the second lane").isEqualTo(1);
  }

  @Test
  void aFailingStoreRejectsItsPixelsUnavailableAndLeavesCanvasAndSeqUnchanged() throws InterruptedException {
    RecordingReply reply = new RecordingReply("loop-1");
    store.failing = true;
    offer(reply, "a", 1, 1, 3);
    offer(reply, "b", 2, 2, 4);
    batcher.start();

    List<Answer> got = take(2);
    assertThat(got).extracting(Answer::rejection).extracting(Verdict.Rejection::reason)
        .containsOnly(RejectReason.UNAVAILABLE);
    assertThat(batcher.seq()).isZero();
    CanvasSnapshot snapshot = batcher.snapshot();
    assertThat(snapshot.seq()).isZero();
    assertThat(snapshot.pixels()).containsOnly((byte) 0);
    assertThat(published).isEmpty();

    store.failing = false;
    offer(reply, "c", 3, 3, 5);
    assertThat(take(1)).extracting(Answer::seq).as("the rejected batch's seqs are reused").containsExactly(1L);
  }

  private void offer(RecordingReply reply, String clientId, int x, int y, int color) {
    assertThat(batcher.offer(new PixelRequest(PAINTER, reply, clientId, x, y, color, Tool.BRUSH, System.nanoTime())))
        .isTrue();
  }

  private List<Answer> take(int n) throws InterruptedException {
    List<Answer> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Answer a = answers.poll(10, TimeUnit.SECONDS);
      assertThat(a).as("answer %d of %d", i + 1, n).isNotNull();
      got.add(a);
    }
    return got;
  }

  private List<PixelChange> logged() {
    List<PixelChange> all = new ArrayList<>();
    store.replay(0, all::add);
    return all;
  }

  /** What a painter was told: a seq, or a rejection; and whether the store held the pixel then. */
  private record Answer(String clientId, long seq, Verdict.Rejection rejection, boolean storedAtAnswer) {}

  /** A painter's reply that records its answers; its tasks run at once, on the caller's thread. */
  private final class RecordingReply implements PixelReply {
    private final Object lane;
    final AtomicInteger tasks = new AtomicInteger();

    RecordingReply(Object lane) {
      this.lane = lane;
    }

    @Override
    public Object lane() {
      return lane;
    }

    @Override
    public void execute(Runnable task) {
      tasks.incrementAndGet();
      task.run();
    }

    @Override
    public void ack(PixelRequest request, long seq) {
      List<PixelChange> stored = new ArrayList<>();
      store.replay(seq - 1, stored::add);
      answers.add(new Answer(request.clientId(), seq, null, !stored.isEmpty() && stored.get(0).seq() == seq));
    }

    @Override
    public void reject(PixelRequest request, Verdict.Rejection rejection) {
      answers.add(new Answer(request.clientId(), -1, rejection, false));
    }
  }
}
