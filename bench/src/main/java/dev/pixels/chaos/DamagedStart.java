package dev.pixels.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The single node's start-up faults: stops the instance, then starts the jar on copies of its
 * data directory whose {@code pixels.db} was damaged (garbage header, a garbage page, truncated to
 * half, zero length). Each start must fail with an error naming the file; a start that becomes
 * ready would serve a canvas that is not the stored one. Runs on the harness's main thread only.
 */
final class DamagedStart {
  private static final long START_TIMEOUT_MS = 90_000;

  private final Cluster cluster;
  private final Path out;
  private final Random random;

  DamagedStart(Cluster cluster, Path out, long seed) {
    this.cluster = cluster;
    this.out = out;
    this.random = new Random(seed);
  }

  /** Runs every damage; appends one verdict each to {@code report}; true if every start was refused. */
  boolean run(StringBuilder report) throws IOException, InterruptedException {
    Cluster.Proc instance = cluster.instances.get(0);
    Path data = Path.of(instance.env.get("DATA_DIR"));
    instance.signal("TERM");
    if (!instance.process.waitFor(30, TimeUnit.SECONDS)) {
      report.append("damaged start: the instance did not stop within 30 s of SIGTERM; killed\n");
      instance.kill9();
    }
    List<String> files;
    try (Stream<Path> s = Files.list(data)) {
      files = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    report.append("damaged start: the data directory after SIGTERM holds ").append(files).append('\n');
    boolean allRefused = true;
    for (String damage : List.of("header-garbage", "page-garbage", "truncated-half", "zero-length")) {
      Path copy = out.resolve("damaged-" + damage);
      Files.createDirectories(copy);
      for (String f : files) {
        if (!f.equals("chaos-filler") && !f.endsWith("-wal") && !f.endsWith("-shm")
            && Files.isRegularFile(data.resolve(f))) {
          Files.copy(data.resolve(f), copy.resolve(f));
        }
      }
      Path db = copy.resolve("pixels.db");
      String detail = damage(db, damage);
      boolean refused = probe(damage, copy, db, detail, report);
      allRefused &= refused;
    }
    return allRefused;
  }

  private String damage(Path db, String damage) throws IOException {
    long size = Files.size(db);
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      switch (damage) {
        case "header-garbage" -> {
          byte[] junk = new byte[100];
          random.nextBytes(junk);
          f.seek(0);
          f.write(junk);
          return "bytes 0-99 of " + size + " overwritten with random bytes";
        }
        case "page-garbage" -> {
          long at = (size / 2) / 4096 * 4096;
          byte[] junk = new byte[4096];
          random.nextBytes(junk);
          f.seek(at);
          f.write(junk);
          return "bytes " + at + "-" + (at + 4095) + " of " + size + " overwritten with random bytes";
        }
        case "truncated-half" -> {
          f.setLength(size / 2);
          return "truncated from " + size + " to " + size / 2 + " bytes";
        }
        case "zero-length" -> {
          f.setLength(0);
          return "truncated from " + size + " to 0 bytes";
        }
        default -> throw new IllegalArgumentException(damage);
      }
    }
  }

  private boolean probe(String damage, Path dir, Path db, String detail, StringBuilder report)
      throws IOException, InterruptedException {
    Cluster.Proc p = cluster.embeddedProbe("damaged-" + damage, dir);
    p.start();
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    String verdict = null;
    boolean refused = false;
    while (System.currentTimeMillis() < deadline && verdict == null) {
      if (!p.process.isAlive()) {
        int code = p.process.exitValue();
        List<String> naming = new ArrayList<>();
        for (String line : Files.readAllLines(p.log, StandardCharsets.UTF_8)) {
          if (line.contains(db.toString()) && naming.size() < 2) {
            naming.add(line.length() > 600 ? line.substring(0, 600) + "..." : line);
          }
        }
        refused = code != 0 && !naming.isEmpty();
        verdict = (refused ? "REFUSED" : "FAILED") + ": exit " + code + (naming.isEmpty()
            ? ", and no log line names " + db : "; log: " + String.join(" | ", naming));
        break;
      }
      try {
        HttpResponse<byte[]> r = cluster.get(p, "/ready");
        if (r.statusCode() == 200) {
          HttpResponse<byte[]> canvas = cluster.get(p, "/canvas");
          verdict = "FAILED: started and became ready on the damaged file; GET /canvas -> " + canvas.statusCode()
              + ", X-Canvas-Seq " + canvas.headers().firstValue("X-Canvas-Seq").orElse("none");
        }
      } catch (IOException notYet) {
        // Not listening yet, or it is exiting: look again.
      }
      Thread.sleep(250);
    }
    if (verdict == null) {
      verdict = "FAILED: neither ready nor exited within " + START_TIMEOUT_MS / 1000 + " s";
    }
    if (p.process.isAlive()) {
      p.kill9();
    }
    report.append("damaged start, ").append(damage).append(" (").append(detail).append("): ").append(verdict)
        .append('\n');
    return refused;
  }
}
