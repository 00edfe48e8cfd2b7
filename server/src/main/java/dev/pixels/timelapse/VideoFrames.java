package dev.pixels.timelapse;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Region;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An MP4 (H.264) or WebM (VP9) video made by an ffmpeg process, which reads the frames as raw
 * RGB on its standard input: no image file per frame is written. Its messages go to a log file
 * beside the output, so that a full pipe can never stall it, and end up in the job's error.
 *
 * <p>Not thread-safe: used by the one rendering thread of a job.
 */
final class VideoFrames implements FrameSink {
  private static final long FINISH_TIMEOUT_SECONDS = 600;
  private final Process process;
  private final OutputStream stdin;
  private final Path log;
  private final int[] rgb;
  private final Region region;
  private final int scale;
  private final byte[] frame;

  VideoFrames(Path ffmpeg, Path output, Palette palette, TimelapseRequest request) throws IOException {
    this.region = request.region();
    this.scale = request.scale();
    this.rgb = new int[256];
    for (int i = 0; i < palette.size(); i++) {
      rgb[i] = palette.rgb(i);
    }
    this.frame = new byte[request.frameWidth() * request.frameHeight() * 3];
    this.log = output.resolveSibling(output.getFileName() + ".ffmpeg.log");
    List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", request.frameWidth() + "x" + request.frameHeight(),
        "-r", Integer.toString(request.fps()), "-i", "-",
        // yuv420p needs even sides; a pixel of the last colour is added where a side is odd.
        "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p"));
    if (request.format() == TimelapseRequest.Format.MP4) {
      command.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-movflags", "+faststart",
          "-f", "mp4"));
    } else {
      command.addAll(List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "0",
          "-crf", "30", "-f", "webm"));
    }
    command.add(output.toString());
    this.process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(log.toFile()).start();
    this.stdin = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
  }

  @Override
  public void frame(byte[] pixels, int canvasWidth, Region changed) throws IOException {
    int o = 0;
    for (int y = region.y1(); y <= region.y2(); y++) {
      int rowStart = o;
      for (int x = region.x1(); x <= region.x2(); x++) {
        int c = rgb[pixels[y * canvasWidth + x] & 0xFF];
        for (int s = 0; s < scale; s++) {
          frame[o++] = (byte) (c >> 16);
          frame[o++] = (byte) (c >> 8);
          frame[o++] = (byte) c;
        }
      }
      int rowBytes = o - rowStart;
      for (int s = 1; s < scale; s++) {
        System.arraycopy(frame, rowStart, frame, o, rowBytes);
        o += rowBytes;
      }
    }
    try {
      stdin.write(frame, 0, o);
    } catch (IOException e) {
      throw new IOException("ffmpeg stopped reading frames: " + messages(), e);
    }
  }

  @Override
  public void finish() throws IOException {
    try {
      stdin.close();
      if (!process.waitFor(FINISH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("ffmpeg did not finish within " + FINISH_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): " + messages());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while ffmpeg finished", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Override
  public void abort() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    } catch (IOException | InterruptedException ignored) {
      // best effort: the caller deletes the output
    }
  }

  /** The start of what ffmpeg wrote to its log, on one line. */
  private String messages() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      text = text.replaceAll("\\s+", " ").trim();
      return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
