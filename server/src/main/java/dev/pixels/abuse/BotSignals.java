package dev.pixels.abuse;

import dev.pixels.identity.Identity;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cheap per-session signals that a painter is a script, for moderators to rank and look at; they
 * never ban anyone by themselves. See docs/identity.md for what each signal means and its limits.
 *
 * <ul>
 *   <li><b>regularity</b>: the coefficient of variation (standard deviation over mean) of the
 *       intervals between a session's placements, kept with Welford's running mean and variance in
 *       constant space. A script on a timer paints at a near-constant interval; people do not.
 *   <li><b>no page bootstrap</b>: the share of a session's placements made from an address that did
 *       not load the canvas ({@code GET /canvas} or {@code /canvas/image}) in the hour before. The
 *       page always loads it before painting; a script that only opens the WebSocket does not.
 *   <li><b>no session</b>: the placements came over a connection without a session token, which the
 *       page always has.
 * </ul>
 *
 * <p>Bounded: at most {@link #MAX_SESSIONS} sessions and {@link #MAX_ADDRESSES} addresses are
 * tracked, and {@link #evictIdle} drops those idle for an hour. A session beyond the cap is not
 * tracked (and counted in {@link #untracked}) rather than evicting one that is.
 *
 * <p>Thread-safe: placements arrive on every event loop. The maps are concurrent; a session's
 * figures change under the lock of its own {@link Stats}, which only that session's connections
 * contend for.
 */
public final class BotSignals {
  static final int MAX_SESSIONS = 50_000;
  static final int MAX_ADDRESSES = 100_000;
  static final long IDLE_MILLIS = 3_600_000;
  static final long BOOTSTRAP_WINDOW_MILLIS = 3_600_000;
  /** Intervals needed before regularity counts: a handful of pixels says nothing. */
  static final int MIN_INTERVALS = 8;
  /** A coefficient of variation at or above this counts as not regular at all. */
  static final double HUMAN_CV = 0.5;

  private final InstantSource clock;
  private final Map<String, Stats> sessions = new ConcurrentHashMap<>();
  private final Map<String, Long> canvasLoads = new ConcurrentHashMap<>();
  private final AtomicLong untracked = new AtomicLong();

  /** One session's figures and the score they add up to. */
  public record Suspect(String userId, String lastIp, double score, long placements, double intervalCv,
      double meanIntervalMs, double noBootstrapShare, boolean noSession, long firstAtMillis, long lastAtMillis) {}

  private static final class Stats {
    long placements;
    long noBootstrap;
    long firstAt;
    long lastAt;
    long intervals;
    double mean;
    double m2;
    boolean noSession;
    String lastIp;
  }

  public BotSignals(InstantSource clock) {
    this.clock = clock;
  }

  /** Notes that {@code ip} loaded the canvas, as the page does before it paints. */
  public void canvasLoaded(String ip) {
    if (canvasLoads.size() < MAX_ADDRESSES || canvasLoads.containsKey(ip)) {
      canvasLoads.put(ip, clock.millis());
    }
  }

  /** Notes an accepted placement by {@code who}. */
  public void placed(Identity who) {
    long now = clock.millis();
    Stats stats = sessions.get(who.userId());
    if (stats == null) {
      if (sessions.size() >= MAX_SESSIONS) {
        untracked.incrementAndGet();
        return;
      }
      stats = sessions.computeIfAbsent(who.userId(), id -> new Stats());
    }
    Long loaded = canvasLoads.get(who.remoteIp());
    boolean bootstrapped = loaded != null && now - loaded <= BOOTSTRAP_WINDOW_MILLIS;
    synchronized (stats) {
      if (stats.placements == 0) {
        stats.firstAt = now;
      } else {
        double interval = now - stats.lastAt;
        stats.intervals++;
        double delta = interval - stats.mean;
        stats.mean += delta / stats.intervals;
        stats.m2 += delta * (interval - stats.mean);
      }
      stats.placements++;
      stats.lastAt = now;
      stats.lastIp = who.remoteIp();
      stats.noSession = who.role() == Identity.Role.ANONYMOUS;
      if (!bootstrapped) {
        stats.noBootstrap++;
      }
    }
  }

  /** The {@code limit} highest-scoring sessions, highest first; ties go to the busier session. */
  public List<Suspect> ranked(int limit) {
    List<Suspect> all = new ArrayList<>();
    sessions.forEach((id, stats) -> all.add(suspect(id, stats)));
    all.sort(Comparator.comparingDouble(Suspect::score).reversed()
        .thenComparing(Comparator.comparingLong(Suspect::placements).reversed()));
    return all.subList(0, Math.min(limit, all.size()));
  }

  /** Sessions not tracked because the table was full. */
  public long untracked() {
    return untracked.get();
  }

  /** Drops sessions and canvas loads idle for an hour. */
  public void evictIdle() {
    long cutoff = clock.millis() - IDLE_MILLIS;
    canvasLoads.values().removeIf(at -> at < cutoff);
    sessions.values().removeIf(stats -> {
      synchronized (stats) {
        return stats.lastAt < cutoff;
      }
    });
  }

  int trackedSessions() {
    return sessions.size();
  }

  private static Suspect suspect(String userId, Stats s) {
    synchronized (s) {
      double cv = -1;
      double regularity = 0;
      if (s.intervals >= 2) {
        double sd = Math.sqrt(s.m2 / (s.intervals - 1));
        cv = s.mean > 0 ? sd / s.mean : 0;
        if (s.intervals >= MIN_INTERVALS) {
          regularity = Math.max(0, 1 - cv / HUMAN_CV);
        }
      }
      double noBootstrapShare = s.placements == 0 ? 0 : (double) s.noBootstrap / s.placements;
      double score = 3 * regularity + 2 * noBootstrapShare + (s.noSession ? 1 : 0);
      return new Suspect(userId, s.lastIp, Math.round(score * 1000) / 1000.0, s.placements,
          cv < 0 ? Double.NaN : Math.round(cv * 1000) / 1000.0, s.intervals == 0 ? Double.NaN : s.mean,
          noBootstrapShare, s.noSession, s.firstAt, s.lastAt);
    }
  }
}
