package dev.rebound.db;

import dev.rebound.inventory.Role;
import java.time.OffsetDateTime;

/** A stored (active) API token: whose it is and what it may do; never the token itself. */
public record ApiToken(String sha256, String personId, Role role, String label, OffsetDateTime createdAt) {}
