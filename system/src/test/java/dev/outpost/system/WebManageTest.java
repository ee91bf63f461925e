package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.Recorder;
import dev.outpost.testkit.Chromium;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Recorder management in Debian's Chromium: an admin makes an activation code in the page, a recorder activates
 * with it and shows online, is renamed and revoked; the admin adds a viewer, who sees no management.
 */
class WebManageTest {
    private static final Path ARTIFACTS = Path.of("target", "web");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anAdminAddsRenamesAndRevokesARecorderAndAddsAViewer(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir);
             Chromium browser = Chromium.start(dir.resolve("chromium"), site.cloud().localUrl(),
                     dir.resolve("cloud").resolve("tls/cloud.crt"))) {
            logIn(browser, Site.ADMIN, Site.PASSWORD);
            browser.find("button[data-view='manage']").click();

            browser.find("input[name='recorder-name']").sendKeys("Gate");
            browser.find(".add-recorder button[type=submit]").click();
            awaiting("activation code shown").until(() -> !browser.findAll("code[data-code]").isEmpty());
            String code = browser.find("code[data-code]").getText();
            assertThat(browser.find(".code-result pre").getText()).contains("--activate " + code);

            Recorder gate = site.restart(site.recorderConfig(0).withActivation(site.cloud().localUrl(), code));
            site.awaitOnline(gate);
            String id = gate.identity().recorderId();
            String row = "tr[data-recorder='" + id + "']";
            awaiting("the new recorder listed online").until(() -> !browser.findAll(row + " .state.online").isEmpty());
            assertThat(browser.find(row + " .name").getText()).isEqualTo("Gate");

            browser.find(row + " button.rename").click();
            WebElement name = browser.find(row + " input[name='new-name']");
            name.clear();
            name.sendKeys("Back gate");
            browser.find(row + " .rename-form button[type=submit]").click();
            awaiting("renamed").until(() -> browser.find(row + " .name").getText().equals("Back gate")
                    && browser.find(".recorders li[data-recorder='" + id + "'] .name").getText().equals("Back gate"));

            browser.find("input[name='user-email']").sendKeys("viewer@outpost.test");
            browser.find("input[name='user-password']").sendKeys("a viewer's long password");
            new Select(browser.find("select[name='user-role']")).selectByValue("viewer");
            browser.find(".add-user button[type=submit]").click();
            awaiting("the viewer listed").until(() ->
                    !browser.findAll("tr[data-user='viewer@outpost.test']").isEmpty());
            String viewerRow = "tr[data-user='viewer@outpost.test']";
            assertThat(new Select(browser.find(viewerRow + " select[name=role]")).getFirstSelectedOption().getText()).isEqualTo("viewer");
            // The admin cannot demote or remove themselves from here.
            assertThat(browser.find("tr[data-user='" + Site.ADMIN + "'] select[name=role]").isEnabled()).isFalse();
            assertThat(browser.findAll("tr[data-user='" + Site.ADMIN + "'] button.remove")).isEmpty();
            browser.script("window.scrollTo(0, 0);");
            browser.screenshot(ARTIFACTS.resolve("manage.png"));

            browser.find(row + " button.revoke").click(); // asks first
            assertThat(browser.find(row + " .state").getText()).isEqualTo("online");
            browser.find(row + " button.revoke").click();
            awaiting("revoked").until(() -> browser.find(row + " .state").getText().equals("revoked")
                    && browser.findAll(row + " button").isEmpty()
                    && browser.findAll(".recorders li[data-recorder='" + id + "']").isEmpty());
            awaiting("the revoked recorder's link closed").until(() -> !site.cloud().links().isOnline(id));

            // A second user made an installer, then removed (asked twice).
            browser.find("input[name='user-email']").sendKeys("temp@outpost.test");
            browser.find("input[name='user-password']").sendKeys("a temporary long password");
            browser.find(".add-user button[type=submit]").click();
            String tempRow = "tr[data-user='temp@outpost.test']";
            awaiting("the second user listed").until(() -> !browser.findAll(tempRow).isEmpty());
            String loads = browser.find("section.users").getAttribute("data-loads");
            new Select(browser.find(tempRow + " select[name=role]")).selectByValue("installer");
            awaiting("role saved, users read again").until(() ->
                    !browser.find("section.users").getAttribute("data-loads").equals(loads));
            browser.open("/"); // what the cloud now says, not what the page last showed
            awaiting("logged in again").until(() -> !browser.findAll("button[data-view='manage']").isEmpty());
            browser.find("button[data-view='manage']").click();
            awaiting("the role kept").until(() -> !browser.findAll(tempRow).isEmpty() && new Select(browser.find(
                    tempRow + " select[name=role]")).getFirstSelectedOption().getAttribute("value").equals("installer"));
            browser.find(tempRow + " button.remove").click();
            browser.find(tempRow + " button.remove").click();
            awaiting("the second user removed").until(() -> browser.findAll(tempRow).isEmpty());

            browser.find("#logout").click();
            logIn(browser, "viewer@outpost.test", "a viewer's long password");
            awaiting("the viewer's views: Live, Search, Clips, Health").until(() -> browser.findAll("button[data-view]").size() == 4);
            assertThat(browser.findAll("button[data-view='health']")).hasSize(1);
            assertThat(browser.findAll("button[data-view='manage']")).isEmpty();
        }
    }

    /** The page re-renders what changed while a test reads it: an element gone stale is read again. */
    static org.awaitility.core.ConditionFactory awaiting(String what) {
        return await(what).atMost(WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class);
    }

    static void logIn(Chromium browser, String email, String password) {
        browser.open("/");
        awaiting("login form").until(() -> !browser.findAll("#login:not([hidden]) input[name=email]").isEmpty());
        browser.find("input[name=email]").sendKeys(email);
        browser.find("input[name=password]").sendKeys(password);
        browser.find("#login button[type=submit]").click();
        awaiting("logged in").until(() -> !browser.findAll("button[data-view='live']").isEmpty());
    }
}
