package dev.pixels.timelapse;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Region;
import dev.pixels.storage.PixelStore;
import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timelapse jobs: a queue of renders, one at a time, and the finished files.
 *
 * <p>Each job is kept in a directory as {@code <id>.json} (what was asked and how it ended) beside
 * its output {@code <id>.<ext>}, written first as {@code <id>.<ext>.part} and renamed when complete.
 * On start the directory is read back: finished jobs are served again, and jobs that were queued
 * or rendering when the process stopped are queued again (the log they render has not changed).
 * The directory is created with the first job, owner-only (0700, files 0600) like the rest of
 * DATA_DIR: the files are public over HTTP, not to other local users.
 * Finished files are deleted oldest first while together they exceed {@link
 * TimelapseSettings#maxBytes}.
 *
 * <p>Concurrency rules: renders run on one daemon thread, {@code pixels-timelapse}, at the lowest
 * priority, fed by a bounded queue; a full queue refuses the job. {@link #submit} blocks on a small
 * file write, so HTTP handlers call it off the event loop; {@link #find} only reads memory and is
 * safe on an event loop. A job's state is published through volatile fields written by the render
 * thread; the job map is concurrent; pruning and the metadata files are touched by the render
 * thread, by {@link #submit} (the metadata of a new job only) and by start-up, never at once for
 * one job.
 */
public final class TimelapseJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TimelapseJobs.class);
  /** Job records kept at most; the oldest finished ones are forgotten first. */
  static final int MAX_RECORDS = 1000;
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TimelapseRenderer renderer;
  private final Palette palette;
  private final TimelapseSettings settings;
  private final Path dir;
  private final boolean temporary;
  private final Ffmpeg ffmpeg;
  private final LongSupplier nanoTime;
  private final InstantSource clock;
  private final ThreadPoolExecutor executor;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  /** Where a job stands. */
  public enum Status { QUEUED, RUNNING, DONE, FAILED }

  /** The queue is full: the job was not taken. */
  public static final class Busy extends RuntimeException {
    Busy(String message) {
      super(message, null, false, false);
    }
  }

  /** A video format was asked for and ffmpeg is not installed. */
  public static final class MissingTool extends RuntimeException {
    MissingTool(String message) {
      super(message, null, false, false);
    }
  }

  /** One job; the fields the render thread changes are volatile. */
  static final class Job {
    final String id;
    final TimelapseRequest request;
    final long createdMillis;
    volatile Status status;
    volatile double progress;
    volatile long startedNanos;
    volatile long finishedMillis;
    volatile long bytes;
    volatile String etag;
    volatile int frames;
    volatile String error;

    Job(String id, TimelapseRequest request, long createdMillis, Status status) {
      this.id = id;
      this.request = request;
      this.createdMillis = createdMillis;
      this.status = status;
    }
  }

  /** A job as a client sees it. */
  public record View(String id, Status status, int percent, Long etaSeconds, String error, long bytes, int frames,
      String fileName, String mediaType, String etag) {}

  /**
   * Opens the jobs kept in {@code dir}, or in a temporary directory deleted by {@link #close} if
   * {@code dir} is null, and queues again the ones that had not finished.
   */
  public TimelapseJobs(PixelStore store, int width, int height, Palette palette, TimelapseSettings settings, Path dir,
      Ffmpeg ffmpeg, LongSupplier nanoTime, InstantSource clock) {
    this.renderer = new TimelapseRenderer(store, width, height);
    this.palette = palette;
    this.settings = settings;
    this.ffmpeg = ffmpeg;
    this.nanoTime = nanoTime;
    this.clock = clock;
    try {
      this.temporary = dir == null;
      this.dir = dir == null ? Files.createTempDirectory("pixels-timelapse-") : dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary timelapse directory", e);
    }
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(settings.queue()),
        r -> {
          Thread t = new Thread(r, "pixels-timelapse");
          t.setDaemon(true);
          t.setPriority(Thread.MIN_PRIORITY);
          return t;
        });
    load();
    prune();
  }

  /** Refuses a video format when ffmpeg is missing; cheap enough for an event loop. */
  public void requireTools(TimelapseRequest request) {
    if (request.format().isVideo() && ffmpeg.locate().isEmpty()) {
      throw new MissingTool(request.format().extension() + " needs ffmpeg, which is not installed: '"
          + settings.ffmpeg() + "' was not found (install ffmpeg, set TIMELAPSE_FFMPEG, or ask for gif)");
    }
  }

  /**
   * Queues a render and returns its job id. Blocks on writing the job's record.
   *
   * @throws Busy if the queue is full
   * @throws MissingTool if the format needs ffmpeg and it is not installed
   */
  public String submit(TimelapseRequest request) {
    requireTools(request);
    if (executor.getQueue().remainingCapacity() == 0) {
      throw new Busy("the timelapse queue is full (" + settings.queue() + " waiting); try again later");
    }
    String id = HexFormat.of().formatHex(randomBytes());
    Job job = new Job(id, request, clock.millis(), Status.QUEUED);
    jobs.put(id, job);
    try {
      save(job);
      executor.execute(() -> run(job));
    } catch (RejectedExecutionException e) {
      forget(job);
      throw new Busy("the timelapse queue is full (" + settings.queue() + " waiting); try again later");
    } catch (RuntimeException e) {
      forget(job);
      throw e;
    }
    return id;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  /** The job {@code id}, if it is known. */
  public Optional<View> find(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Job job = jobs.get(id);
    return job == null ? Optional.empty() : Optional.of(view(job));
  }

  /** The finished file of job {@code id}. */
  public Optional<Path> file(String id) {
    return find(id).filter(v -> v.status() == Status.DONE).map(v -> dir.resolve(v.fileName()));
  }

  private View view(Job job) {
    Status status = job.status;
    int percent = switch (status) {
      case QUEUED -> 0;
      case DONE -> 100;
      default -> (int) Math.min(99, Math.floor(job.progress * 100));
    };
    Long eta = null;
    if (status == Status.RUNNING && job.progress > 0.001) {
      double elapsed = (nanoTime.getAsLong() - job.startedNanos) / 1e9;
      eta = Math.max(0, Math.round(elapsed * (1 - job.progress) / job.progress));
    } else if (status == Status.DONE) {
      eta = 0L;
    }
    return new View(job.id, status, percent, eta, job.error, job.bytes, job.frames, fileName(job),
        job.request.format().mediaType(), job.etag);
  }

  private static String fileName(Job job) {
    return job.id + "." + job.request.format().extension();
  }

  private void run(Job job) {
    job.startedNanos = nanoTime.getAsLong();
    job.status = Status.RUNNING;
    Path out = dir.resolve(fileName(job));
    Path part = dir.resolve(fileName(job) + ".part");
    try {
      save(job);
      TimelapseRenderer.Result result = render(job, part);
      long size = Files.size(part);
      if (size > settings.maxBytes()) {
        throw new TimelapseRequest.Invalid("the file would be " + size + " bytes, more than TIMELAPSE_MAX_BYTES ("
            + settings.maxBytes() + "); choose fewer frames, a smaller scale or region");
      }
      job.etag = "\"" + sha256(part) + "\"";
      Files.move(part, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      job.bytes = size;
      job.frames = result.frames();
      job.finishedMillis = clock.millis();
      job.status = Status.DONE;
      log.info("timelapse {} done: {} frames, {} changes, {} bytes", job.id, result.frames(), result.changes(), size);
    } catch (InterruptedException e) {
      // Stopping: the job stays queued in its record and is rendered again after the restart.
      deleteQuietly(part);
      Thread.currentThread().interrupt();
      return;
    } catch (TimelapseRequest.Invalid e) {
      fail(job, part, e.getMessage());
    } catch (IOException | RuntimeException e) {
      // The status is public: the detail (paths, store errors) goes to the log only.
      log.warn("timelapse {} failed", job.id, e);
      fail(job, part, "the render failed (" + e.getClass().getSimpleName() + "); the server log has the detail");
    }
    try {
      save(job);
    } catch (UncheckedIOException e) {
      log.warn("cannot save the record of timelapse {}", job.id, e);
    }
    prune();
  }

  private TimelapseRenderer.Result render(Job job, Path part) throws IOException, InterruptedException {
    TimelapseRenderer.Progress progress = (done, total) -> job.progress = total == 0 ? 1 : (double) done / total;
    if (job.request.format().isVideo()) {
      Path tool = ffmpeg.locate().orElseThrow(() -> new TimelapseRequest.Invalid(
          "ffmpeg is no longer installed: '" + settings.ffmpeg() + "' was not found"));
      createOwnerOnly(part);
      FrameSink sink = new VideoFrames(tool, part, palette, job.request);
      return renderInto(job, sink, progress);
    }
    createOwnerOnly(part);
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
      return renderInto(job, new GifFrames(file, palette, job.request), progress);
    }
  }

  private TimelapseRenderer.Result renderInto(Job job, FrameSink sink, TimelapseRenderer.Progress progress)
      throws IOException, InterruptedException {
    try {
      return renderer.render(job.request, sink, progress);
    } catch (IOException | InterruptedException | RuntimeException e) {
      sink.abort();
      throw e;
    }
  }

  private void fail(Job job, Path part, String message) {
    deleteQuietly(part);
    job.error = message;
    job.finishedMillis = clock.millis();
    job.status = Status.FAILED;
  }

  /** Deletes finished files, oldest first, while together they exceed the cap, and old records beyond the count. */
  synchronized void prune() {
    List<Job> ended = new ArrayList<>(jobs.values().stream()
        .filter(j -> j.status == Status.DONE || j.status == Status.FAILED).toList());
    ended.sort(Comparator.comparingLong((Job j) -> j.finishedMillis).thenComparingLong(j -> j.createdMillis));
    long total = ended.stream().filter(j -> j.status == Status.DONE).mapToLong(j -> j.bytes).sum();
    int records = jobs.size();
    for (Job job : ended) {
      boolean overBytes = job.status == Status.DONE && total > settings.maxBytes();
      if (!overBytes && records <= MAX_RECORDS) {
        continue;
      }
      if (job.status == Status.DONE) {
        total -= job.bytes;
      }
      records--;
      forget(job);
      log.info("timelapse {} pruned", job.id);
    }
  }

  private void forget(Job job) {
    jobs.remove(job.id);
    deleteQuietly(dir.resolve(fileName(job)));
    deleteQuietly(dir.resolve(job.id + ".json"));
  }

  // ---- records ----

  private void save(Job job) {
    Region r = job.request.region();
    JsonObject json = new JsonObject().put("id", job.id).put("status", job.status.name())
        .put("createdMillis", job.createdMillis).put("finishedMillis", job.finishedMillis)
        .put("bytes", job.bytes).put("etag", job.etag).put("frames", job.frames).put("error", job.error)
        .put("x1", r.x1()).put("y1", r.y1()).put("x2", r.x2()).put("y2", r.y2())
        .put("fromMillis", job.request.fromMillis()).put("toMillis", job.request.toMillis())
        .put("fps", job.request.fps()).put("scale", job.request.scale())
        .put("format", job.request.format().extension());
    switch (job.request.interval()) {
      case TimelapseRequest.Interval.Pixels p -> json.put("everyPixels", p.pixels());
      case TimelapseRequest.Interval.Millis m -> json.put("everyMillis", m.millis());
    }
    Path target = dir.resolve(job.id + ".json");
    Path tmp = dir.resolve(job.id + ".json.tmp");
    try {
      createOwnerOnly(tmp);
      Files.writeString(tmp, json.encode());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private void load() {
    if (!Files.isDirectory(dir)) {
      return; // created with the first job
    }
    List<Job> unfinished = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        Job job = read(file);
        if (job == null) {
          continue;
        }
        if (job.status == Status.DONE && !Files.isRegularFile(dir.resolve(fileName(job)))) {
          log.warn("timelapse {} has lost its file; forgetting it", job.id);
          forget(job);
          continue;
        }
        jobs.put(job.id, job);
        if (job.status == Status.QUEUED || job.status == Status.RUNNING) {
          unfinished.add(job);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the timelapse directory " + dir, e);
    }
    unfinished.sort(Comparator.comparingLong(j -> j.createdMillis));
    for (Job job : unfinished) {
      deleteQuietly(dir.resolve(fileName(job) + ".part"));
      job.status = Status.QUEUED;
      try {
        executor.execute(() -> run(job));
      } catch (RejectedExecutionException e) {
        fail(job, dir.resolve(fileName(job) + ".part"), "the queue was full when the server restarted; submit it again");
        save(job);
      }
    }
  }

  private Job read(Path file) {
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      String id = json.getString("id");
      if (id == null || !ID.matcher(id).matches() || !file.getFileName().toString().equals(id + ".json")) {
        return null;
      }
      TimelapseRequest.Interval interval = json.containsKey("everyPixels")
          ? new TimelapseRequest.Interval.Pixels(json.getLong("everyPixels"))
          : new TimelapseRequest.Interval.Millis(json.getLong("everyMillis"));
      TimelapseRequest request = new TimelapseRequest(
          new Region(json.getInteger("x1"), json.getInteger("y1"), json.getInteger("x2"), json.getInteger("y2")),
          json.getLong("fromMillis"), json.getLong("toMillis"), interval, json.getInteger("fps"),
          json.getInteger("scale"), TimelapseRequest.Format.named(json.getString("format")));
      Job job = new Job(id, request, json.getLong("createdMillis"), Status.valueOf(json.getString("status")));
      job.finishedMillis = json.getLong("finishedMillis", 0L);
      job.bytes = json.getLong("bytes", 0L);
      job.etag = json.getString("etag");
      job.frames = json.getInteger("frames", 0);
      job.error = json.getString("error");
      return job;
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring the unreadable timelapse record {}", file.getFileName(), e);
      return null;
    }
  }

  /**
   * Creates {@code file} (empty, replacing one left by a crash) readable by the server's user only,
   * like everything under DATA_DIR, and the directory first if it is missing (0700).
   */
  private void createOwnerOnly(Path file) throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    Files.deleteIfExists(file);
    if (posix) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("cannot delete {}", p, e);
    }
  }

  /** Stops the render thread; an interrupted job stays queued in its record. A temporary directory is deleted. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (temporary) {
      try (var files = Files.list(dir)) {
        files.forEach(TimelapseJobs::deleteQuietly);
      } catch (IOException e) {
        log.warn("cannot empty {}", dir, e);
      }
      deleteQuietly(dir);
    }
  }
}
