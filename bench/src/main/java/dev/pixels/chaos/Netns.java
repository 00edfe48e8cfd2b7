package dev.pixels.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The campaign's network: each instance runs in its own network namespace, joined to the root
 * namespace by a veth pair, and Redis and dynalite listen on a service address held by the root
 * namespace's loopback. A partition drops, inside one instance's namespace, every packet to and
 * from the service address (iptables), so the instance's connections to Redis and dynalite go
 * silent without being closed while its clients, which reach it over the same veth from another
 * address, keep their connections. Needs root, iproute2 and iptables.
 *
 * <p>Addresses: 10.213.B.(4i+1) is the root side of instance i's pair, 10.213.B.(4i+2) its
 * namespace side, 10.213.B.254 the service address, with B derived from the harness's pid so that
 * two harnesses on one machine do not collide. Every method is called from one thread at a time
 * (the harness's main thread or the nemesis, then the shutdown hook).
 */
final class Netns implements AutoCloseable {
  private final String prefix;
  private final int block;
  private final int count;
  private final List<String> created = new ArrayList<>();
  private boolean serviceAddressAdded;

  private Netns(int count) {
    long pid = ProcessHandle.current().pid();
    this.prefix = "pxc" + pid + "-";
    this.block = 20 + (int) (pid % 200);
    this.count = count;
  }

  /** Creates one namespace per instance, or throws if the machine does not allow it (cleaning up what it made). */
  static Netns create(int count) {
    Netns n = new Netns(count);
    try {
      n.setUp();
      return n;
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
  }

  /** Whether this machine can run the partition: root, {@code ip} and {@code iptables} present. */
  static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "not running as root";
    }
    for (String tool : List.of("ip", "iptables")) {
      try {
        Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
        if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
          return tool + " is not installed";
        }
      } catch (IOException e) {
        return "cannot look for " + tool + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    return null;
  }

  private void setUp() {
    run("ip", "addr", "add", serviceAddress() + "/32", "dev", "lo");
    serviceAddressAdded = true;
    for (int i = 0; i < count; i++) {
      String ns = name(i);
      run("ip", "netns", "add", ns);
      created.add(ns);
      run("ip", "-n", ns, "link", "set", "lo", "up");
      run("ip", "link", "add", hostIf(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
      run("ip", "addr", "add", hostAddress(i) + "/30", "dev", hostIf(i));
      run("ip", "link", "set", hostIf(i), "up");
      run("ip", "-n", ns, "addr", "add", instanceAddress(i) + "/30", "dev", "eth0");
      run("ip", "-n", ns, "link", "set", "eth0", "up");
      run("ip", "-n", ns, "route", "add", "default", "via", hostAddress(i));
    }
  }

  String serviceAddress() {
    return "10.213." + block + ".254";
  }

  String instanceAddress(int i) {
    return "10.213." + block + "." + (4 * i + 2);
  }

  private String hostAddress(int i) {
    return "10.213." + block + "." + (4 * i + 1);
  }

  private String hostIf(int i) {
    return "pxh" + block + "x" + i;
  }

  String name(int i) {
    return prefix + i;
  }

  /** The command prefix that runs a program inside instance {@code i}'s namespace. */
  List<String> exec(int i) {
    return List.of("ip", "netns", "exec", name(i));
  }

  /** Drops every packet between instance {@code i} and the service address, in both directions. */
  void partition(int i) {
    run("ip", "netns", "exec", name(i), "iptables", "-I", "OUTPUT", "-d", serviceAddress(), "-j", "DROP");
    run("ip", "netns", "exec", name(i), "iptables", "-I", "INPUT", "-s", serviceAddress(), "-j", "DROP");
  }

  /** Removes the drop rules of {@link #partition}. */
  void heal(int i) {
    run("ip", "netns", "exec", name(i), "iptables", "-D", "OUTPUT", "-d", serviceAddress(), "-j", "DROP");
    run("ip", "netns", "exec", name(i), "iptables", "-D", "INPUT", "-s", serviceAddress(), "-j", "DROP");
  }

  @Override
  public void close() {
    for (int i = 0; i < created.size(); i++) {
      quietly("ip", "link", "del", hostIf(i));
      quietly("ip", "netns", "del", created.get(i));
    }
    created.clear();
    if (serviceAddressAdded) {
      quietly("ip", "addr", "del", serviceAddress() + "/32", "dev", "lo");
      serviceAddressAdded = false;
    }
  }

  private static void run(String... command) {
    String out = exec(command);
    if (out != null) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  private static void quietly(String... command) {
    exec(command);
  }

  /** Runs a command; null when it succeeded, else its output and exit status. */
  private static String exec(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
