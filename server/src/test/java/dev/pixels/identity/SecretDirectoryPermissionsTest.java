package dev.pixels.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret generated into a directory that does not exist yet creates that directory owner-only. */
class SecretDirectoryPermissionsTest {

  @Test
  void aSecretGeneratedIntoANewDirectoryCreatesItOwnerOnly(@TempDir Path parent) throws Exception {
    Path dir = parent.resolve("data");
    SecretFiles.loadOrCreate(dir.resolve("session-secret"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }
}
