package dev.pixels.identity;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Random secrets generated once and kept in a file readable only by the server's user (0600), so
 * that they survive restarts without anyone having to configure them.
 */
public final class SecretFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {}

  /**
   * The secret in {@code file}, creating it with 32 random bytes (base64url) if it does not exist.
   *
   * @throws IllegalStateException if the file cannot be read or written
   */
  public static String loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return readSecret(file);
      }
      createOwnerOnlyDirectories(file.toAbsolutePath().getParent());
      String secret = randomToken(32);
      try {
        // Created with 0600 from the start, so the secret is never readable by others, even briefly.
        Files.createFile(file, ownerOnly());
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        return readSecret(file); // another process won the race; use its secret
      }
      Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
      return secret;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the secret file " + file.toAbsolutePath(), e);
    }
  }

  /** Creates missing directories readable by the server's user only: they hold secrets. */
  private static void createOwnerOnlyDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  private static String readSecret(Path file) throws IOException {
    String secret = Files.readString(file).trim();
    if (secret.length() < 16) {
      throw new IllegalStateException(file.toAbsolutePath() + " holds no usable secret (fewer than 16 characters)");
    }
    return secret;
  }

  /** {@code bytes} random bytes as unpadded base64url. */
  public static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  }
}
