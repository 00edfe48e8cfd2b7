package dev.pixels.timelapse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the ffmpeg executable the video formats need. A seam so that tests can give a name that
 * is nowhere on the PATH and see the server answer without the tool.
 */
@FunctionalInterface
public interface Ffmpeg {

  /** The executable, or empty if it is not installed. */
  Optional<Path> locate();

  /**
   * Looks {@code command} up like a shell would: a path is used as it is if executable, a bare
   * name is searched in the directories of {@code searchPath} (the {@code PATH} variable).
   */
  static Ffmpeg onPath(String command, String searchPath) {
    return () -> {
      if (command.contains(File.separator)) {
        Path p = Path.of(command);
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
      }
      if (searchPath == null) {
        return Optional.empty();
      }
      for (String dir : searchPath.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, command);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    };
  }
}
