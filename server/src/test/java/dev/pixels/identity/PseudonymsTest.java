package dev.pixels.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PseudonymsTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void theSameUserGetsTheSameNameFromEveryInstanceWithTheSameSecret() {
    assertEquals(new Pseudonyms(SECRET).of("u:alice"), new Pseudonyms(SECRET).of("u:alice"));
  }

  @Test
  void anotherSecretGivesAnotherName() {
    assertNotEquals(new Pseudonyms(SECRET).of("u:alice"), new Pseudonyms(SECRET + "x").of("u:alice"));
  }

  @Test
  void aNameIsShortReadableAndNeverContainsTheId() {
    String name = new Pseudonyms(SECRET).of("u:alice");
    assertTrue(name.matches("painter-[0-9a-hjkmnp-tv-z]{10}"), name);
    assertFalse(name.contains("alice"));
  }

  @Test
  void tenThousandUsersGetTenThousandNames() {
    Pseudonyms pseudonyms = new Pseudonyms(SECRET);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      names.add(pseudonyms.of("user-" + i));
    }
    assertEquals(10_000, names.size());
  }
}
