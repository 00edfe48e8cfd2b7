package dev.pixels.identity;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one textual form of an IP address that client addresses, trusted proxies and IP bans are
 * compared in: Java's ({@code 0:0:0:0:0:0:0:1} for {@code ::1}, and an IPv4-mapped IPv6 address as
 * plain IPv4), which is how the socket layer reports a peer. Without it, a ban or a trusted proxy
 * written as {@code ::1} never matches the peer {@code 0:0:0:0:0:0:0:1}.
 */
public final class IpText {
  private IpText() {}

  /** True if {@code text} is an IPv4 or IPv6 address literal (no host name, no DNS). */
  public static boolean isIp(String text) {
    return NetUtil.isValidIpV4Address(text) || NetUtil.isValidIpV6Address(text);
  }

  /** {@code text} in the canonical form if it is an IP address literal, else unchanged. */
  public static String canonical(String text) {
    byte[] bytes = isIp(text) ? NetUtil.createByteArrayFromIpAddressString(text) : null;
    if (bytes == null) {
      return text;
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException impossible) {
      // getByAddress only refuses lengths other than 4 and 16, which the parser never returns.
      throw new IllegalStateException(impossible);
    }
  }
}
