package dev.pixels.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of a process from {@code /proc} (Linux), and the whole machine's CPU.
 *
 * <p>CPU is utime+stime in clock ticks (USER_HZ, 100 on Linux x86-64); memory is VmRSS (now) and
 * VmHWM (the peak over the process's life).
 */
final class ProcStats {
  static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** utime+stime of the process in seconds, or NaN if unreadable. */
  static double cpuSeconds(String pid) {
    return ticks(pid, true, true);
  }

  /** stime of the process in seconds (CPU spent in the kernel on its behalf), or NaN. */
  static double systemCpuSeconds(String pid) {
    return ticks(pid, false, true);
  }

  private static double ticks(String pid, boolean user, boolean system) {
    try {
      String s = Files.readString(Path.of("/proc", pid, "stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state); utime is field 14, stime field 15.
      return ((user ? Long.parseLong(f[11]) : 0) + (system ? Long.parseLong(f[12]) : 0)) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A "Vm..." line of /proc/PID/status in MiB, or NaN. */
  static double statusMiB(String pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith(field + ":")) {
          String kb = line.substring(field.length() + 1).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return Double.NaN;
  }

  /** Busy and total jiffies of all CPUs, from the first line of /proc/stat; null if unreadable. */
  static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Samples VmRSS of a process in the background and keeps the peak. */
  static final class RssSampler implements AutoCloseable {
    private final String pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile double peakMiB = Double.NaN;

    RssSampler(String pid, long periodMs) {
      this.pid = pid;
      this.thread =
          Thread.ofPlatform()
              .daemon()
              .name("rss-sampler")
              .start(
                  () -> {
                    while (running) {
                      double v = statusMiB(pid, "VmRSS");
                      if (!Double.isNaN(v) && (Double.isNaN(peakMiB) || v > peakMiB)) {
                        peakMiB = v;
                      }
                      try {
                        Thread.sleep(periodMs);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    double peakMiB() {
      return peakMiB;
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }

    String pid() {
      return pid;
    }
  }
}
