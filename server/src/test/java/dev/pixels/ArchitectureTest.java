package dev.pixels;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.pixels.cluster.ClusterNode;
import dev.pixels.realtime.PixelBatcher;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.realtime.PixelReply;
import dev.pixels.realtime.PixelRequest;
import dev.pixels.realtime.Replies;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the package graph a set of layers: no package depends, directly or through
 * others, on a package that depends on it; a package uses only packages of lower tiers (the tiers
 * docs/architecture.md shows); and nothing but the composition root knows the root package.
 */
class ArchitectureTest {

  private static final String ROOT = "dev.pixels";

  /**
   * The packages directly under {@code dev.pixels}, lowest tier first. A package may depend only on
   * packages of lower tiers; "root" is {@code dev.pixels} itself, the composition root.
   */
  private static final List<List<String>> TIERS = List.of(
      List.of("canvas", "http", "text"),
      List.of("identity", "storage"),
      List.of("ratelimit"),
      List.of("realtime"),
      List.of("web"),
      List.of("cluster", "history", "moderation", "ops", "pixelinfo"),
      List.of("abuse", "signin", "timelapse"),
      List.of("root"));

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void thePackagesHaveNoCyclesIncludingTheRootPackage() {
    slices().assignedFrom(new TopLevelPackages()).should().beFreeOfCycles().check(classes);
  }

  @Test
  void theRootPackageIsASliceOfItsOwnInTheCycleCheck() {
    TopLevelPackages slices = new TopLevelPackages();
    assertThat(slices.getIdentifierOf(classes.get(PixelsServer.class))).isEqualTo(SliceIdentifier.of("root"));
    assertThat(slices.getIdentifierOf(classes.get(ClusterNode.class))).isEqualTo(SliceIdentifier.of("cluster"));
  }

  @Test
  void noFeaturePackageDependsOnTheRootPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT)
        .check(classes);
  }

  @Test
  void eachPackageDependsOnlyOnPackagesOfLowerTiers() {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (List<String> tier : TIERS) {
      for (String name : tier) {
        layers = layers.layer(name).definedBy(packageOf(name));
      }
    }
    List<String> below = new ArrayList<>();
    for (List<String> tier : TIERS) {
      for (String name : tier) {
        layers = below.isEmpty()
            ? layers.whereLayer(name).mayNotAccessAnyLayer()
            : layers.whereLayer(name).mayOnlyAccessLayers(below.toArray(String[]::new));
      }
      below.addAll(tier);
    }
    layers.check(classes);
  }

  /**
   * The single writer and the types it answers painters through reach no socket: it can be tested
   * without Vert.x, and a change to the socket layer cannot slow the batch path.
   */
  @Test
  void thePixelWriterKnowsNoSockets() {
    noClasses()
        .that()
        .belongToAnyOf(PixelBatcher.class, Replies.class, PixelRequest.class, PixelReply.class, PixelIntake.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx..", "io.netty..")
        .orShould()
        .dependOnClassesThat()
        .haveNameMatching("dev\\.pixels\\.realtime\\.(Session|SessionReply|SocketHandler|Broadcaster)(\\$.*)?")
        .check(classes);
  }

  @Test
  void everyPackageHasATier() {
    String[] known = TIERS.stream().flatMap(List::stream).map(ArchitectureTest::packageOf).toArray(String[]::new);
    classes().should().resideInAnyPackage(known).check(classes);
  }

  private static String packageOf(String name) {
    return name.equals("root") ? ROOT : ROOT + "." + name + "..";
  }

  /**
   * A slice per package directly under {@code dev.pixels} (with its subpackages), and one named
   * "root" for the classes in {@code dev.pixels} itself, which {@code dev.pixels.(*)..} leaves out.
   */
  private static final class TopLevelPackages implements SliceAssignment {

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String name = javaClass.getPackageName();
      if (name.equals(ROOT)) {
        return SliceIdentifier.of("root");
      }
      if (!name.startsWith(ROOT + ".")) {
        return SliceIdentifier.ignore();
      }
      String rest = name.substring(ROOT.length() + 1);
      int dot = rest.indexOf('.');
      return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
    }

    @Override
    public String getDescription() {
      return "the root package and each package directly under " + ROOT;
    }
  }
}
