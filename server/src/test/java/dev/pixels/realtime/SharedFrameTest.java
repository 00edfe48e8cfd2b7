package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Shared frames are byte for byte what Netty's own server-side encoder writes for the same payload. */
class SharedFrameTest {

  /** The bytes Netty's encoder (unmasked, as a server sends) writes for {@code frame}. */
  private static byte[] nettyEncoded(WebSocketFrame frame) {
    EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    channel.writeOutbound(frame);
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
      all.writeBytes(part);
      part.release();
    }
    channel.finishAndReleaseAll();
    return ByteBufUtil.getBytes(all);
  }

  private static byte[] payload(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return bytes;
  }

  @Test
  void textFramesOfEveryLengthEncodingMatchNettysEncoder() {
    for (int size : new int[] {0, 1, 125, 126, 127, 1000, 65_535, 65_536, 200_000}) {
      byte[] p = payload(size);
      assertThat(ByteBufUtil.getBytes(SharedFrame.text(p).bytes()))
          .as("text frame of %d bytes", size)
          .isEqualTo(nettyEncoded(new TextWebSocketFrame(Unpooled.wrappedBuffer(p))));
    }
  }

  @Test
  void binaryFramesMatchNettysEncoder() {
    for (int size : new int[] {5, 126, 70_000}) {
      byte[] p = payload(size);
      assertThat(ByteBufUtil.getBytes(SharedFrame.binary(p).bytes()))
          .as("binary frame of %d bytes", size)
          .isEqualTo(nettyEncoded(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(p))));
    }
  }

  @Test
  void aConnectionsOwnTextAndPingFramesMatchNettysEncoder() {
    for (String text : new String[] {"", "{\"type\":\"heartbeat\"}", "é€😀".repeat(40), "x".repeat(70_000)}) {
      ByteBuf own = SharedFrame.textFor(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, text);
      assertThat(ByteBufUtil.getBytes(own)).as("text of %d chars", text.length())
          .isEqualTo(nettyEncoded(new TextWebSocketFrame(text)));
      own.release();
    }
    ByteBuf ping = SharedFrame.pingFor(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
    assertThat(ByteBufUtil.getBytes(ping)).isEqualTo(nettyEncoded(new io.netty.handler.codec.http.websocketx.PingWebSocketFrame()));
    ping.release();
  }

  @Test
  void aFrameBuiltFromABufferTakesItFromPositionToLimitAndLeavesItAsItWas() {
    ByteBuffer source = ByteBuffer.wrap(payload(300));
    source.position(10).limit(210);
    SharedFrame frame = SharedFrame.text(source);
    assertThat(source.position()).isEqualTo(10);
    assertThat(frame.payloadBytes()).isEqualTo(200);
    byte[] middle = Arrays.copyOfRange(payload(300), 10, 210);
    ByteBuffer view = frame.payload();
    byte[] got = new byte[view.remaining()];
    view.get(got);
    assertThat(got).isEqualTo(middle);
    assertThat(ByteBufUtil.getBytes(frame.bytes())).isEqualTo(nettyEncoded(new TextWebSocketFrame(Unpooled.wrappedBuffer(middle))));
  }

  @Test
  void writingDuplicatesLeavesTheSharedFrameWholeAndReferenced() {
    SharedFrame frame = SharedFrame.text(payload(500));
    for (int i = 0; i < 3; i++) {
      ByteBuf copy = frame.bytes().retainedDuplicate();
      copy.skipBytes(copy.readableBytes() / 2); // a partial write moves only the duplicate's index
      copy.release();
    }
    assertThat(frame.bytes().refCnt()).isEqualTo(1);
    assertThat(frame.bytes().readableBytes()).isEqualTo(4 + 500);
    assertThat(frame.bytes().isDirect()).isTrue();
  }
}
