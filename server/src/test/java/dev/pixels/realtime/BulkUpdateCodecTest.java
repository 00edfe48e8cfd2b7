package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkUpdateCodecTest {
  private final Palette palette = Palette.defaultPalette();

  private static PixelChange change(long seq, int x, int y, int color) {
    return new PixelChange(seq, x, y, color, 0, "u", 1_737_230_000_000L, Tool.BRUSH);
  }

  @Test
  void aBatchEncodesToTheDocumentedJsonInSeqOrder() {
    int red = palette.indexOf("#FF0000");
    CommittedBatch batch = new CommittedBatch(List.of(change(7, 100, 200, red), change(8, 0, 1, 0)), "ab12", 1_737_230_000_000L);
    String json = new String(new BulkUpdateCodec(palette).encodeJson(batch), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"type\":\"pixel:bulk_update\",\"data\":{\"pixels\":["
        + "{\"x\":100,\"y\":200,\"color\":\"#FF0000\"},{\"x\":0,\"y\":1,\"color\":\"#FFFFFF\"}],"
        + "\"hash\":\"ab12\",\"fromSeq\":7,\"toSeq\":8},\"timestamp\":\"2025-01-18T19:53:20Z\"}");
  }

  @Test
  void mergingConsecutiveBatchesKeepsEveryChangeAndTheLastHash() {
    CommittedBatch a = new CommittedBatch(List.of(change(1, 0, 0, 1), change(2, 0, 0, 2)), "h2", 1);
    CommittedBatch b = new CommittedBatch(List.of(change(3, 1, 1, 3)), "h3", 2);
    CommittedBatch merged = CommittedBatch.merge(List.of(a, b));
    assertThat(merged.fromSeq()).isEqualTo(1);
    assertThat(merged.toSeq()).isEqualTo(3);
    assertThat(merged.hash()).isEqualTo("h3");
    assertThat(merged.changes()).hasSize(3);
  }

  @Test
  void theTailOfABatchAfterASeqKeepsItsEndState() {
    CommittedBatch batch = new CommittedBatch(List.of(change(4, 0, 0, 1), change(5, 0, 0, 2), change(6, 0, 0, 3)), "h6", 1);
    CommittedBatch tail = batch.after(4);
    assertThat(tail.fromSeq()).isEqualTo(5);
    assertThat(tail.toSeq()).isEqualTo(6);
    assertThat(tail.hash()).isEqualTo("h6");
    assertThat(batch.after(3)).isSameAs(batch);
  }

  @Test
  void theBinaryFrameMatchesTheTestVectorInTheProtocolDoc() {
    int red = palette.indexOf("#FF0000");
    String hash = "62c996b4a88954d6a7df174dbfde1f44d526352344062c314058d41adfdebbbc";
    CommittedBatch batch = new CommittedBatch(List.of(change(7, 100, 200, red), change(8, 0, 899, 0)), hash,
        1_737_230_000_000L);
    byte[] frame = new BulkUpdateCodec(palette).encodeBinary(batch);
    assertThat(java.util.HexFormat.of().formatHex(frame)).isEqualTo(
        "0101" + "0000"
            + "0000000000000007" + "0000000000000008" + "000001947afa1f80"
            + hash
            + "00000002"
            + "006400c8" + String.format("%02x", red)
            + "0000038300");
    assertThat(frame).hasSize(64 + 2 * 5);
  }

  @Test
  void aBinaryBatchIsAtLeastFiveTimesSmallerThanItsJsonTwin() {
    List<PixelChange> changes = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 250; i++) {
      changes.add(change(i + 1, random.nextInt(900), random.nextInt(900), random.nextInt(32)));
    }
    CommittedBatch batch = new CommittedBatch(changes, "00".repeat(32), 1_737_230_000_000L);
    BulkUpdateCodec codec = new BulkUpdateCodec(palette);
    assertThat(codec.encodeJson(batch).length).isGreaterThanOrEqualTo(5 * codec.encodeBinary(batch).length);
  }

  @Test
  void aMergedFrameSplicedFromEncodedBatchesEqualsEncodingTheMergedBatch() {
    BulkUpdateCodec codec = new BulkUpdateCodec(palette);
    CommittedBatch a = new CommittedBatch(List.of(change(1, 0, 0, 1), change(2, 899, 899, 31)), "aa", 1_000L);
    CommittedBatch b = new CommittedBatch(List.of(change(3, 10, 20, 0)), "bb", 2_000L);
    CommittedBatch c = new CommittedBatch(List.of(change(4, 5, 6, 7), change(5, 7, 8, 9)), "cc", 3_000L);
    CommittedBatch merged = CommittedBatch.merge(List.of(a, b, c));
    java.nio.ByteBuffer spliced = codec.spliceJson(
        List.of(direct(codec.encodeJson(a)), direct(codec.encodeJson(b)), direct(codec.encodeJson(c))), merged);
    assertThat(StandardCharsets.UTF_8.decode(spliced).toString())
        .isEqualTo(new String(codec.encodeJson(merged), StandardCharsets.UTF_8));
  }

  private static java.nio.ByteBuffer direct(byte[] bytes) {
    return java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }
}
