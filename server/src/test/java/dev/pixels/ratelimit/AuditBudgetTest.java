package dev.pixels.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-IP {@code /audit} budget is spent only by requests that carry the admin token. */
class AuditBudgetTest {

  @Test
  void refusedAuditRequestsDoNotSpendTheAdminsBudget() {
    try (TestServer server = TestServer.start(Map.of("REST_LIMIT_AUDIT_PER_MINUTE", "5"))) {
      Api api = new Api(server);
      for (int i = 0; i < 5; i++) {
        assertThat(api.get("/audit", null).statusCode()).isEqualTo(401);
        assertThat(api.get("/audit", "not-the-admin-token").statusCode()).isEqualTo(403);
      }
      for (int i = 0; i < 5; i++) {
        assertThat(api.get("/audit", TestServer.ADMIN_TOKEN).statusCode()).as("admin request %d", i + 1).isEqualTo(200);
      }
      assertThat(api.get("/audit", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void theModerationListIsNotCountedAgainstTheAuditBudget() {
    try (TestServer server = TestServer.start(Map.of("REST_LIMIT_AUDIT_PER_MINUTE", "2"))) {
      Api api = new Api(server);
      for (int i = 0; i < 10; i++) {
        assertThat(api.get("/audit?type=moderation&limit=20", TestServer.ADMIN_TOKEN).statusCode()).as("moderation read %d", i + 1)
            .isEqualTo(200);
      }
      assertThat(api.get("/audit", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
      assertThat(api.get("/audit", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
      assertThat(api.get("/audit?userId=u", TestServer.ADMIN_TOKEN).statusCode()).as("pixel reads are counted").isEqualTo(429);
      assertThat(api.get("/audit?type=moderation", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }
  }
}
