package dev.rebound.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code rebound --version}: the Maven version the jar was built from. */
final class Version implements IVersionProvider {
  private static final String POM_PROPERTIES = "/META-INF/maven/dev.rebound/rebound/pom.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"rebound " + version()};
  }

  static String version() {
    try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through: a version we cannot read is not worth failing --version for
    }
    return "(development build)";
  }
}
