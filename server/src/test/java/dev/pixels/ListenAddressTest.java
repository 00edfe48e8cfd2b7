package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenAddressTest {

  @Test
  void aServerOnEveryIpv4InterfaceIsShownAsLocalhost() {
    assertThat(ListenAddress.pageUrl("0.0.0.0", 8000)).isEqualTo("http://localhost:8000/");
  }

  @Test
  void aServerOnEveryIpv6InterfaceIsShownAsLocalhost() {
    assertThat(ListenAddress.pageUrl("::", 8000)).isEqualTo("http://localhost:8000/");
  }

  @Test
  void aServerOnOneAddressIsShownAtThatAddress() {
    assertThat(ListenAddress.pageUrl("127.0.0.1", 8123)).isEqualTo("http://127.0.0.1:8123/");
  }

  @Test
  void anIpv6AddressIsBracketed() {
    assertThat(ListenAddress.pageUrl("::1", 8000)).isEqualTo("http://[::1]:8000/");
  }
}
