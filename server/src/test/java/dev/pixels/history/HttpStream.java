package dev.pixels.history;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP/1.1 GET whose answer the test reads when it chooses, or never: a client as slow as
 * it likes. The receive buffer is small, so the server's writes back up soon after it stops reading.
 */
final class HttpStream implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  HttpStream(int port, String pathAndQuery, String token) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = socket.getInputStream();
  }

  /** The status line and headers. */
  String head() throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed in the head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** The chunked body to its last chunk; throws if the connection ends before it. */
  byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line();
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        line();
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        throw new IOException("the connection ended inside a chunk");
      }
      body.write(chunk);
      if (!line().isEmpty()) {
        throw new IOException("a chunk did not end with CRLF");
      }
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection ended before the last chunk");
      }
      if (b == '\n') {
        return line.toString().replace("\r", "");
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
