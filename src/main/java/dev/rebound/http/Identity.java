package dev.rebound.http;

import dev.rebound.inventory.Role;

/**
 * Who is calling, as established from their bearer token. {@code via} says how: the
 * break-glass {@code admin_token} from configuration, or an issued {@code api_token}.
 */
public record Identity(String id, Role role, String via) {
  public static final String ADMIN_ID = "admin";
  public static final String VIA_ADMIN_TOKEN = "admin_token";
  public static final String VIA_API_TOKEN = "api_token";

  static Identity admin() {
    return new Identity(ADMIN_ID, Role.ADMIN, VIA_ADMIN_TOKEN);
  }
}
