package dev.outpost.wire.api;

/** {@code POST /api/organizations} body: a new organization with its first admin. */
public record NewOrganization(String name, String adminEmail, String adminPassword) {
    @Override
    public String toString() {
        return "NewOrganization[name=" + name + ", adminEmail=" + adminEmail + "]";
    }
}
