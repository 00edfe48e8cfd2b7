package dev.pixels.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * One complete server-to-client WebSocket frame, header and payload, encoded once and written as
 * it is to every connection that gets it (RFC 6455 section 5.2: a server's frames are not masked,
 * so their bytes are the same for every receiver).
 *
 * <p>The frame is one direct buffer, so the transport writes it to each socket without a copy and
 * without the per-connection frame encoding that a {@code WebSocketFrame} would go through. Each
 * connection writes a {@link ByteBuf#retainedDuplicate() retained duplicate} of {@link #bytes()},
 * which the transport releases once written or failed; the frame's own reference is never
 * released, and the JDK's {@link ByteBuffer} under it is freed by the garbage collector once
 * neither the frame nor a queued write refers to it. The buffer must not come from a pooled
 * allocator, which would hand the memory back on the last release while this frame still held it.
 *
 * <p>Immutable once built, so any thread may share it.
 */
final class SharedFrame {
  private static final byte FIN_TEXT = (byte) 0x81;
  private static final byte FIN_BINARY = (byte) 0x82;
  private static final byte FIN_PING = (byte) 0x89;

  private final ByteBuf bytes;
  private final int headerBytes;
  private final boolean binary;

  private SharedFrame(ByteBuf bytes, int headerBytes, boolean binary) {
    this.bytes = bytes;
    this.headerBytes = headerBytes;
    this.binary = binary;
  }

  /** A final text frame carrying {@code payload}, which must be UTF-8. */
  static SharedFrame text(byte[] payload) {
    return of(FIN_TEXT, ByteBuffer.wrap(payload));
  }

  /** A final text frame carrying the bytes of {@code payload} from its position to its limit. */
  static SharedFrame text(ByteBuffer payload) {
    return of(FIN_TEXT, payload);
  }

  /** A final binary frame carrying {@code payload}. */
  static SharedFrame binary(byte[] payload) {
    return of(FIN_BINARY, ByteBuffer.wrap(payload));
  }

  private static SharedFrame of(byte first, ByteBuffer payload) {
    int length = payload.remaining();
    int header = headerBytes(length);
    ByteBuf out = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(header + length));
    out.clear();
    writeHeader(out, first, length);
    out.writeBytes(payload.duplicate());
    return new SharedFrame(out, header, first == FIN_BINARY);
  }

  /**
   * A final text frame of {@code text} for one connection, whole, in a buffer of {@code alloc}
   * that the transport releases once written: the small messages (acks, rejects) take the same
   * path to the socket as shared frames, so they keep their order with them.
   */
  static ByteBuf textFor(ByteBufAllocator alloc, CharSequence text) {
    int length = ByteBufUtil.utf8Bytes(text);
    ByteBuf out = alloc.directBuffer(headerBytes(length) + length);
    writeHeader(out, FIN_TEXT, length);
    ByteBufUtil.writeUtf8(out, text);
    return out;
  }

  /** An empty ping frame for one connection, in a buffer of {@code alloc}. */
  static ByteBuf pingFor(ByteBufAllocator alloc) {
    return alloc.directBuffer(2).writeByte(FIN_PING).writeByte(0);
  }

  private static int headerBytes(int length) {
    return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
  }

  private static void writeHeader(ByteBuf out, byte first, int length) {
    out.writeByte(first);
    if (length < 126) {
      out.writeByte(length);
    } else if (length <= 0xFFFF) {
      out.writeByte(126).writeShort(length);
    } else {
      out.writeByte(127).writeLong(length);
    }
  }

  /** The whole frame; write only retained duplicates of it (see the class comment). */
  ByteBuf bytes() {
    return bytes;
  }

  /** A read-only view of the payload, for splicing frames together; shares the frame's memory. */
  ByteBuffer payload() {
    return bytes.nioBuffer(headerBytes, bytes.readableBytes() - headerBytes).asReadOnlyBuffer();
  }

  /** The payload as a buffer of its own, for a transport that must encode frames itself. */
  ByteBuf payloadBuf() {
    return bytes.retainedSlice(headerBytes, bytes.readableBytes() - headerBytes);
  }

  /** True for a binary frame, false for a text frame. */
  boolean isBinary() {
    return binary;
  }

  /** Bytes of the payload, without the header. */
  int payloadBytes() {
    return bytes.readableBytes() - headerBytes;
  }
}
