package dev.outpost.wire.api;

/** {@code POST /api/users} body (admins only): a user in the admin's own organization. */
public record NewUser(String email, String password, String role) {
    @Override
    public String toString() {
        return "NewUser[email=" + email + ", role=" + role + "]";
    }
}
