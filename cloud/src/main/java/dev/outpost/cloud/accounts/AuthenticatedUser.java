package dev.outpost.cloud.accounts;

/** The user behind a valid session, as every request handler sees it. */
public record AuthenticatedUser(String userId, String email, Role role, String organizationId,
                                String organizationName) {
}
