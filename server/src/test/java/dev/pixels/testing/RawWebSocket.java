package dev.pixels.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare-bones WebSocket client over a plain socket, for tests that need exact control of TCP:
 * it can stop reading entirely (so the server's writes really back up) and later read frame by
 * frame down to the close frame. It can also send any frame, including floods of them.
 */
public final class RawWebSocket implements AutoCloseable {
  /** A received frame: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }

    public String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  private final Socket socket;
  private final DataInputStream in;

  private RawWebSocket(Socket socket, DataInputStream in) {
    this.socket = socket;
    this.in = in;
  }

  /** Connects with a small receive buffer, so little data fills it. */
  public static RawWebSocket connect(int port, String pathAndQuery, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBufferBytes);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
    return new RawWebSocket(socket, in);
  }

  /** Reads the next frame, blocking. */
  public Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, payload);
  }

  /** Reads frames until the close frame, which it returns. */
  public Frame readUntilClose() throws IOException {
    while (true) {
      Frame f = read();
      if (f.opcode() == 8) {
        return f;
      }
    }
  }

  public InputStream input() {
    return in;
  }

  /** Sends one final frame of {@code opcode} with {@code payload}, masked as a client must. */
  public void send(int opcode, byte[] payload) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(frame(opcode, payload));
    out.flush();
  }

  /** Writes {@code bytes} as they are: frames built with {@link #frame}, many at a time. */
  public void sendRaw(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
  }

  public void sendText(String text) throws IOException {
    send(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a close frame with {@code code} and {@code reason}. */
  public void sendClose(int code, String reason) throws IOException {
    byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + utf8.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(utf8, 0, payload, 2, utf8.length);
    send(0x8, payload);
  }

  /** One final client frame of {@code opcode}: masked, with a length of any size. */
  public static byte[] frame(int opcode, byte[] payload) {
    byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
    int header = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
    byte[] out = new byte[header + 4 + payload.length];
    out[0] = (byte) (0x80 | opcode);
    if (header == 2) {
      out[1] = (byte) (0x80 | payload.length);
    } else if (header == 4) {
      out[1] = (byte) (0x80 | 126);
      out[2] = (byte) (payload.length >> 8);
      out[3] = (byte) payload.length;
    } else {
      out[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) {
        out[2 + i] = (byte) ((long) payload.length >> (56 - 8 * i));
      }
    }
    System.arraycopy(mask, 0, out, header, 4);
    for (int i = 0; i < payload.length; i++) {
      out[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
