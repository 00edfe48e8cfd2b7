package dev.pixels.moderation;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CanvasEditor.Edit;
import dev.pixels.canvas.CanvasEditor.EditResult;
import dev.pixels.canvas.CanvasEditor.IncompleteEdit;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import dev.pixels.identity.Identity;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderator's tools: region locks, bans, the audit trail, rollback, rewind and the canvas at
 * an earlier time. Repairs go through the {@link CanvasEditor}, so they are ordinary sequenced,
 * logged and broadcast pixel changes.
 *
 * <p>Concurrency. Two threads do the work, so that a long repair never delays a quick answer:
 *
 * <ul>
 *   <li>{@code pixels-moderation} makes every change to the moderation state (locks, bans, the
 *       expiry sweep, reloads) and every moderation store call, audit entries included; it only
 *       does short work, so locks, unlocks, bans, unbans and audit reads are answered at once. The
 *       state thus has a single writer and the store is never touched from an event loop.
 *   <li>{@code pixels-moderation-repair} runs the long work, one job at a time: rollbacks, rewinds,
 *       the rollback of a ban that asks for one, and the canvas at an earlier time. It walks the
 *       pixel log, hands the edits to the {@link CanvasEditor} and waits for them; it reads no
 *       moderation state and writes its audit entries through the moderation thread, waiting for
 *       them. The moderation thread never waits for the repair thread, so the two cannot deadlock.
 * </ul>
 *
 * <p>At most {@link #MAX_REPAIRS} long jobs are running or waiting; beyond that a request fails at
 * once with {@link TooManyRepairs} rather than queueing without bound. A ban with a rollback takes
 * effect at once on the moderation thread, then waits for its rollback on the repair thread; if
 * the rollback fails, the ban is taken back and the request fails as a whole. On {@link #close}
 * waiting jobs fail without running, and the running one stops at its next page of the log or,
 * once the pipeline has stopped, at its next chunk, and is audited as incomplete; one still
 * running at the close's deadline (a store that hangs) is abandoned.
 *
 * <p>What the paint path reads on event loops — the {@link LockGrid} and the ban maps — are
 * immutable objects published through volatile fields and replaced wholesale on change. Public
 * methods that do work return futures completed on one of the two threads.
 */
public final class Moderation {
  private static final Logger log = LoggerFactory.getLogger(Moderation.class);
  /**
   * Pixels read per page when a repair walks the log. A page holds the embedded store, and so the
   * batcher's next commit, while it is read: small pages keep painters' acks prompt meanwhile.
   */
  static final int PAGE = 2_000;
  /** Long jobs (repairs, historical canvases) running or waiting at once; one runs at a time. */
  static final int MAX_REPAIRS = 4;
  private static final long IDLE_STOP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final ModerationStore store;
  private final PixelStore pixels;
  private final CommittedCanvas canvas;
  private final CanvasEditor editor;
  private final int width;
  private final int height;
  private final Consumer<String> broadcast;
  private final InstantSource clock;
  private final ScheduledExecutorService thread;
  private final ExecutorService repairThread;
  private final Semaphore repairPlaces = new Semaphore(MAX_REPAIRS);
  private volatile boolean closing;

  private volatile LockGrid grid;
  private volatile Map<String, Ban> userBans = Map.of();
  private volatile Map<String, Ban> ipBans = Map.of();
  private final Map<String, Ban> bans = new HashMap<>(); // moderation thread only
  private volatile Runnable changed = () -> {};

  /** A ban and, if it asked for one, the rollback made with it. */
  public record BanResult(Ban ban, EditResult rollback) {}

  /**
   * The pixels a repair would change: {@code pixelsChanged} in all, of which {@code pixels} holds
   * the first (in row order) up to the cap asked for, each with its colour now as {@code expectedColor}.
   */
  public record Preview(int pixelsChanged, List<Edit> pixels) {
    static Preview of(List<Edit> edits, int cap) {
      return new Preview(edits.size(), List.copyOf(edits.subList(0, Math.min(cap, edits.size()))));
    }
  }

  /** The refusal of a long job because {@link #MAX_REPAIRS} are already running or waiting. */
  static final class TooManyRepairs extends RuntimeException {
    TooManyRepairs() {
      super(MAX_REPAIRS + " repairs are already running or waiting; try again when one has finished", null, false,
          false);
    }
  }

  public Moderation(ModerationStore store, PixelStore pixels, CommittedCanvas canvas, CanvasEditor editor,
      int width, int height, Consumer<String> broadcast, InstantSource clock) {
    this.store = store;
    this.pixels = pixels;
    this.canvas = canvas;
    this.editor = editor;
    this.width = width;
    this.height = height;
    this.broadcast = broadcast;
    this.clock = clock;
    this.grid = LockGrid.empty(width, height);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pixels-moderation");
      t.setDaemon(true);
      return t;
    });
    this.repairThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "pixels-moderation-repair");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads the persisted locks and bans (blocking, at start-up) and starts the expiry sweeper.
   *
   * @throws dev.pixels.storage.StoreException if the store cannot be read or holds a row that is
   *     not a lock or a ban (the message names it); the moderation threads and store are closed
   */
  public void start() {
    try {
      call(() -> {
        grid = LockGrid.of(store.locks(), width, height);
        for (Ban ban : store.bans()) {
          bans.put(ban.id(), ban);
        }
        publishBans();
        log.info("moderation: {} region locks and {} bans loaded", grid.locks().size(), bans.size());
        return null;
      }).join();
    } catch (CompletionException e) {
      close(java.time.Duration.ofSeconds(5));
      // The store's own exception, not its wrapper: start-up reports a StoreException as one line.
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    thread.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Called on the moderation thread after each lock, unlock, ban or unban is stored; with several
   * instances it tells the others to {@link #reload}. Set before {@link #start}.
   */
  public void onChange(Runnable listener) {
    this.changed = listener;
  }

  /**
   * Re-reads locks and bans from the store, which another instance changed, and broadcasts to this
   * instance's clients a {@code moderation:lock} for every lock that is new or replaced and a
   * {@code moderation:unlock} for every lock that is gone, as its creator did to its own clients.
   */
  public CompletableFuture<Void> reload() {
    return call(() -> {
      List<Lock> stored = store.locks();
      Map<Region, Lock> before = new HashMap<>();
      grid.locks().forEach(l -> before.put(l.region(), l));
      grid = LockGrid.of(stored, width, height);
      for (Lock lock : stored) {
        if (!lock.equals(before.remove(lock.region()))) {
          broadcast.accept(ModerationJson.event("moderation:lock", ModerationJson.lock(lock)));
        }
      }
      for (Lock gone : before.values()) {
        broadcast.accept(ModerationJson.event("moderation:unlock", ModerationJson.lock(gone)));
      }
      bans.clear();
      store.bans().forEach(ban -> bans.put(ban.id(), ban));
      publishBans();
      return null;
    });
  }

  // ---- read on event loops, lock-free ----

  /** True if an active lock covers (x, y); O(1). */
  public boolean isLocked(int x, int y, long nowMillis) {
    return grid.isLocked(x, y, nowMillis);
  }

  /** The active ban on {@code who}'s user id or IP, or null. */
  public Ban banOf(Identity who, Instant now) {
    Ban ban = userBans.get(who.userId());
    if (ban == null || !ban.activeAt(now)) {
      ban = ipBans.get(who.remoteIp());
    }
    return ban != null && ban.activeAt(now) ? ban : null;
  }

  public List<Lock> activeLocks() {
    Instant now = clock.instant();
    return grid.locks().stream().filter(l -> l.activeAt(now)).toList();
  }

  public List<Ban> activeBans() {
    Instant now = clock.instant();
    List<Ban> active = new ArrayList<>();
    for (Map<String, Ban> map : List.of(userBans, ipBans)) {
      map.values().stream().filter(b -> b.activeAt(now)).forEach(active::add);
    }
    active.sort(java.util.Comparator.comparing(Ban::createdAt));
    return active;
  }

  // ---- changes, on the moderation thread ----

  public CompletableFuture<Lock> lock(Region region, String reason, Instant expiresAt, String actor) {
    return call(() -> {
      Lock lock = new Lock(region, reason, actor, clock.instant(), expiresAt);
      store.saveLock(lock);
      List<Lock> locks = new ArrayList<>(grid.locks());
      locks.removeIf(l -> l.region().equals(region));
      locks.add(lock);
      grid = LockGrid.of(locks, width, height);
      audit("lock", actor, ModerationJson.lock(lock));
      broadcast.accept(ModerationJson.event("moderation:lock", ModerationJson.lock(lock)));
      changed.run();
      return lock;
    });
  }

  public CompletableFuture<Optional<Lock>> unlock(Region region, String actor) {
    return call(() -> {
      Optional<Lock> existing = grid.locks().stream().filter(l -> l.region().equals(region)).findFirst();
      if (existing.isEmpty() || !store.deleteLock(region)) {
        return Optional.<Lock>empty();
      }
      removeLocks(List.of(existing.get()), "unlock", actor);
      changed.run();
      return existing;
    });
  }

  /**
   * Bans {@code subject}. With {@code rollbackSince} (user bans only) the ban takes effect at once
   * and the future completes once the user's work since then is rolled back too; if the rollback
   * fails, the ban is taken back and the future fails. With {@link #MAX_REPAIRS} long jobs running
   * or waiting, such a ban fails at once with {@link TooManyRepairs} and changes nothing.
   */
  public CompletableFuture<BanResult> ban(Ban.Kind kind, String subject, Instant until, String reason,
      Instant rollbackSince, String actor) {
    if (rollbackSince == null || kind != Ban.Kind.USER) {
      return call(() -> {
        Ban ban = addBan(kind, subject, until, reason, actor);
        changed.run();
        audit("ban", actor, ModerationJson.ban(ban));
        return new BanResult(ban, null);
      });
    }
    if (!repairPlaces.tryAcquire()) {
      return CompletableFuture.failedFuture(new TooManyRepairs());
    }
    return call(() -> addBan(kind, subject, until, reason, actor)).handle((ban, failure) -> {
      if (failure != null) {
        repairPlaces.release();
        return CompletableFuture.<BanResult>failedFuture(failure);
      }
      return runReserved(() -> rollBackForBan(ban, rollbackSince, actor));
    }).thenCompose(result -> result);
  }

  public CompletableFuture<Optional<Ban>> unban(String id, String actor) {
    return call(() -> {
      Ban ban = bans.remove(id);
      if (ban == null) {
        return Optional.<Ban>empty();
      }
      store.deleteBan(id);
      publishBans();
      changed.run();
      audit("unban", actor, ModerationJson.ban(ban));
      return Optional.of(ban);
    });
  }

  /**
   * Undoes {@code userId}'s work since {@code since} (in {@code region}, if given): every pixel
   * whose newest change is theirs gets the colour it had before their first change to it in that
   * time. Pixels someone else repainted since are left alone, also if that happens while the
   * rollback is under way (the edits are conditional on the colour the rollback saw). A large
   * rollback is applied in chunks between painters' pixels; the future completes with the last.
   */
  public CompletableFuture<EditResult> rollback(String userId, Instant since, Region region, String actor) {
    return repairLater(() -> {
      EditResult result = doRollback(userId, since, region, actor);
      onModerationThread(() -> audit("rollback", actor,
          rollbackParams(userId, since, region).mergeIn(ModerationJson.editResult(result))));
      return result;
    });
  }

  /**
   * Paints every pixel of {@code region} with the colour it had at {@code to}, except pixels
   * repainted while the rewind is under way (the edits are conditional on the colour it saw).
   */
  public CompletableFuture<EditResult> rewind(Region region, Instant to, String actor) {
    return repairLater(() -> {
      List<Edit> edits = rewindEdits(region, to);
      JsonObject params = ModerationJson.region(region).put("to", to.toString());
      EditResult result = repair(edits, Tool.REWIND, actor, "rewind", params);
      onModerationThread(() -> audit("rewind", actor, params.mergeIn(ModerationJson.editResult(result))));
      return result;
    });
  }

  /**
   * What {@link #rollback} would change now, without changing anything or auditing: the number of
   * pixels and the first {@code cap} of them. It waits its turn with the repairs.
   */
  public CompletableFuture<Preview> previewRollback(String userId, Instant since, Region region, int cap) {
    return repairLater(() -> Preview.of(rollbackEdits(userId, since, region), cap));
  }

  /** What {@link #rewind} would change now, as {@link #previewRollback} does for a rollback. */
  public CompletableFuture<Preview> previewRewind(Region region, Instant to, int cap) {
    return repairLater(() -> Preview.of(rewindEdits(region, to), cap));
  }

  /** The whole canvas as it stood at {@code at}: the durable canvas with every later change undone. */
  public CompletableFuture<CanvasSnapshot> canvasAt(Instant at) {
    return repairLater(() -> {
      CanvasSnapshot now = canvas.snapshot();
      byte[] bitmap = now.pixels().clone();
      long oldestUndone = undoAfter(bitmap, now.seq(), at, null);
      long seq = oldestUndone == 0 ? now.seq() : oldestUndone - 1;
      return new CanvasSnapshot(seq, now.width(), now.height(), bitmap);
    });
  }

  public CompletableFuture<List<PixelChange>> pixelHistory(HistoryQuery query) {
    return call(() -> pixels.history(query));
  }

  public CompletableFuture<List<AuditEntry>> moderationLog(long beforeId, int limit) {
    return call(() -> store.auditLog(beforeId, limit));
  }

  // ---- internals: the log walks and repairs run on the repair thread, the rest on the moderation thread ----

  /** Stores and publishes a new ban (moderation thread). */
  private Ban addBan(Ban.Kind kind, String subject, Instant until, String reason, String actor) {
    Ban ban = new Ban("ban-" + dev.pixels.identity.SecretFiles.randomToken(6), kind, subject, reason, actor,
        clock.instant(), until);
    store.saveBan(ban);
    bans.put(ban.id(), ban);
    publishBans();
    return ban;
  }

  /**
   * Rolls back the banned user's work since {@code since} and audits the ban with it (repair
   * thread); if the rollback fails, takes the ban back and throws the failure on.
   */
  private BanResult rollBackForBan(Ban ban, Instant since, String actor) {
    EditResult rollback;
    try {
      rollback = doRollback(ban.subject(), since, null, actor);
    } catch (RuntimeException e) {
      // The request fails as a whole: a ban whose rollback did not happen is taken back.
      try {
        onModerationThread(() -> {
          bans.remove(ban.id());
          publishBans();
          store.deleteBan(ban.id());
        });
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
    onModerationThread(() -> {
      changed.run();
      audit("ban", actor, ModerationJson.ban(ban)
          .put("rollback", ModerationJson.editResult(rollback).put("since", since.toString())));
    });
    return new BanResult(ban, rollback);
  }

  /**
   * Undoes {@code userId}'s work as {@link #rollback} describes, for a rollback or a ban with one;
   * the caller audits the result. A rollback that stops part-way is audited here.
   */
  private EditResult doRollback(String userId, Instant since, Region region, String actor) {
    return repair(rollbackEdits(userId, since, region), Tool.ROLLBACK, actor, "rollback",
        rollbackParams(userId, since, region));
  }

  private static JsonObject rollbackParams(String userId, Instant since, Region region) {
    JsonObject params = new JsonObject().put("userId", userId).put("since", since.toString());
    if (region != null) {
      params.put("region", ModerationJson.region(region));
    }
    return params;
  }

  /**
   * Audits a repair that stopped part-way (repair thread). The store that stopped it may refuse
   * the audit entry too; the moderator is then still told what was applied, and the log keeps the
   * entry's text.
   */
  private void auditIncomplete(String action, String actor, JsonObject params, IncompleteEdit stopped) {
    try {
      onModerationThread(() -> audit(action, actor, params));
    } catch (RuntimeException e) {
      stopped.addSuppressed(e);
      log.error("could not audit an incomplete {} by {}: {}", action, actor, params.encode(), e);
    }
  }

  /**
   * Applies {@code edits}, waiting for the last chunk (the repair thread waits meanwhile). If
   * the repair stops part-way, audits it as {@code action} with {@code params}, what was applied
   * and why it stopped, and throws the {@link IncompleteEdit} on, so the moderator is told the same.
   */
  private EditResult repair(List<Edit> edits, Tool tool, String actor, String action, JsonObject params) {
    try {
      return editor.apply(edits, actor, tool).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IncompleteEdit incomplete) {
        auditIncomplete(action, actor, params.copy().mergeIn(ModerationJson.incomplete(incomplete)), incomplete);
        throw incomplete;
      }
      throw e;
    }
  }

  private List<Edit> rewindEdits(Region region, Instant to) {
    CanvasSnapshot now = canvas.snapshot();
    byte[] target = now.pixels().clone();
    undoAfter(target, now.seq(), to, region);
    List<Edit> edits = new ArrayList<>();
    for (int y = region.y1(); y <= region.y2(); y++) {
      for (int x = region.x1(); x <= region.x2(); x++) {
        int i = y * width + x;
        if (target[i] != now.pixels()[i]) {
          edits.add(new Edit(x, y, target[i] & 0xFF, now.pixels()[i] & 0xFF));
        }
      }
    }
    return edits;
  }

  private List<Edit> rollbackEdits(String userId, Instant since, Region region) {
    CanvasSnapshot now = canvas.snapshot();
    // Per pixel: 0 not touched since `since`, 1 newest change is the user's, 2 someone else's.
    byte[] newest = new byte[width * height];
    byte[] restore = new byte[width * height];
    HistoryQuery query = new HistoryQuery(null, region, since.toEpochMilli(), Long.MAX_VALUE, now.seq() + 1, PAGE);
    forEachNewestFirst(query, change -> {
      int i = change.y() * width + change.x();
      boolean mine = userId.equals(change.userId());
      if (newest[i] == 0) {
        newest[i] = (byte) (mine ? 1 : 2);
      }
      if (newest[i] == 1 && mine) {
        restore[i] = (byte) change.previousColor(); // walking back, the last one seen is their first
      }
    });
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < newest.length; i++) {
      if (newest[i] == 1 && restore[i] != now.pixels()[i]) {
        edits.add(new Edit(i % width, i / width, restore[i] & 0xFF, now.pixels()[i] & 0xFF));
      }
    }
    return edits;
  }

  /**
   * Undoes on {@code bitmap} (the canvas at {@code seq}) every change after {@code at}, inside
   * {@code region} if given; returns the oldest seq undone, or 0 if none.
   */
  private long undoAfter(byte[] bitmap, long seq, Instant at, Region region) {
    long[] oldest = {0};
    HistoryQuery query = new HistoryQuery(null, region, at.toEpochMilli() + 1, Long.MAX_VALUE, seq + 1, PAGE);
    forEachNewestFirst(query, change -> {
      bitmap[change.y() * width + change.x()] = (byte) change.previousColor();
      oldest[0] = change.seq();
    });
    return oldest[0];
  }

  private void forEachNewestFirst(HistoryQuery query, Consumer<PixelChange> action) {
    HistoryQuery page = query;
    while (true) {
      if (closing) {
        throw new IllegalStateException("the server is shutting down");
      }
      List<PixelChange> changes = pixels.history(page);
      changes.forEach(action);
      if (changes.size() < page.limit()) {
        return;
      }
      page = page.before(changes.get(changes.size() - 1).seq());
    }
  }

  private void sweep() {
    try {
      Instant now = clock.instant();
      List<Lock> expired = grid.locks().stream().filter(l -> !l.activeAt(now)).toList();
      if (!expired.isEmpty()) {
        // With several instances each one expires the lock for its own clients; the one whose
        // delete removed it writes the audit entry.
        List<Lock> deletedHere = expired.stream().filter(l -> store.deleteLock(l.region())).toList();
        removeLocks(expired, "lock_expired", "system", deletedHere);
      }
      List<Ban> over = bans.values().stream().filter(b -> !b.activeAt(now)).toList();
      if (!over.isEmpty()) {
        for (Ban ban : over) {
          store.deleteBan(ban.id());
          bans.remove(ban.id());
        }
        publishBans();
      }
    } catch (RuntimeException e) {
      log.warn("moderation sweep failed; will retry in a second", e);
    }
  }

  private void removeLocks(List<Lock> removed, String action, String actor) {
    removeLocks(removed, action, actor, removed);
  }

  private void removeLocks(List<Lock> removed, String action, String actor, List<Lock> audited) {
    List<Lock> locks = new ArrayList<>(grid.locks());
    locks.removeAll(removed);
    grid = LockGrid.of(locks, width, height);
    for (Lock lock : removed) {
      if (audited.contains(lock)) {
        audit(action, actor, ModerationJson.lock(lock));
      }
      broadcast.accept(ModerationJson.event("moderation:unlock", ModerationJson.lock(lock)));
    }
  }

  private void publishBans() {
    Map<String, Ban> users = new HashMap<>();
    Map<String, Ban> ips = new HashMap<>();
    for (Ban ban : bans.values()) {
      Map<String, Ban> target = ban.kind() == Ban.Kind.USER ? users : ips;
      Ban other = target.get(ban.subject());
      if (other == null || later(ban.until(), other.until())) {
        target.put(ban.subject(), ban);
      }
    }
    userBans = Map.copyOf(users);
    ipBans = Map.copyOf(ips);
  }

  private static boolean later(Instant a, Instant b) {
    return b != null && (a == null || a.isAfter(b));
  }

  private void audit(String action, String actor, JsonObject params) {
    store.audit(new AuditEntry(0, action, actor, clock.instant(), params.encode()));
  }

  private <T> CompletableFuture<T> call(Callable<T> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        try {
          done.complete(work.call());
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IllegalStateException("the server is shutting down"));
    }
    return done;
  }

  /**
   * Runs {@code work} on the repair thread after the long jobs before it, or fails at once with
   * {@link TooManyRepairs} if {@link #MAX_REPAIRS} are already running or waiting.
   */
  private <T> CompletableFuture<T> repairLater(Callable<T> work) {
    if (!repairPlaces.tryAcquire()) {
      return CompletableFuture.failedFuture(new TooManyRepairs());
    }
    return runReserved(work);
  }

  /** Runs {@code work} on the repair thread in a place already taken, and frees the place after. */
  private <T> CompletableFuture<T> runReserved(Callable<T> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    try {
      repairThread.execute(() -> {
        T value;
        try {
          if (closing) {
            throw new IllegalStateException("the server is shutting down");
          }
          value = work.call();
        } catch (Exception e) {
          repairPlaces.release();
          done.completeExceptionally(e);
          return;
        }
        // Freed before the answer, so a moderator who is answered may start the next job at once.
        repairPlaces.release();
        done.complete(value);
      });
    } catch (RejectedExecutionException e) {
      repairPlaces.release();
      done.completeExceptionally(new IllegalStateException("the server is shutting down"));
    }
    return done;
  }

  /** Runs {@code work} on the moderation thread and waits for it (repair thread only). */
  private void onModerationThread(Runnable work) {
    call(() -> {
      work.run();
      return null;
    }).join();
  }

  /**
   * Fails the long jobs still waiting, lets the running one stop (at its next page of the log, or
   * at its next chunk once the pipeline has stopped) and audit itself, then stops the moderation
   * thread and closes the store, all within {@code timeout}. A repair or a moderation store call
   * still running then (a store that hangs) is interrupted and abandoned, not waited for.
   */
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    closing = true;
    repairThread.shutdown();
    try {
      if (!repairThread.awaitTermination(nanosLeft(deadline), TimeUnit.NANOSECONDS)) {
        log.warn("a moderation repair was still running at the shutdown deadline; it is abandoned");
        repairThread.shutdownNow();
      }
      thread.shutdownNow();
      // An idle thread needs a moment to end even when the repair used up the time left.
      if (!thread.awaitTermination(Math.max(nanosLeft(deadline), IDLE_STOP_NANOS), TimeUnit.NANOSECONDS)) {
        log.warn("the moderation store did not answer before the shutdown deadline; the call is abandoned");
      }
    } catch (InterruptedException e) {
      repairThread.shutdownNow();
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  private static long nanosLeft(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
