package org.fedlink.testing.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.fedlink.console.ConsoleNode;
import org.fedlink.console.ConsolePassword;
import org.fedlink.console.NodeConsole;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.PlanApproval;
import org.fedlink.researcher.PlanJar;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.plans.PlanPolicy;
import org.fedlink.supernode.plans.PlanStatus;
import org.fedlink.supernode.plans.TrainingPlanRecord;
import org.fedlink.testing.TestFederation;
import org.fedlink.testing.plans.PlanJars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The node console in a real browser (Debian's chromium driven by its chromedriver, nothing
 * downloaded): a node that requires plan approval, a researcher asking for three plans, and an
 * admin who logs in, adds and removes a dataset, approves one plan (the node then runs it), rejects
 * another (the researcher sees why) and is not fooled by a form on another origin. Screenshots of
 * each page go to {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String PASSWORD = "correct horse battery staple";
  static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir static Path dir;
  static TestFederation federation;
  static NodeConsole console;
  static WebDriver browser;
  static WebDriverWait wait;
  static String base;
  static Path approvedJar;
  static Path rejectedJar;
  static Path targetJar;
  static int shot;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "the console's browser test needs Debian's chromium and chromium-driver (%s, %s):"
                + " install them with `apt-get install chromium chromium-driver`, as .ci/run does",
            CHROMIUM, CHROMEDRIVER)
        .isTrue();
    federation =
        TestFederation.builder(dir)
            .nodes(1)
            .nodeSettings(
                (i, node) -> node.planPolicy(new PlanPolicy(false, true, HashingAlgorithm.SHA256)))
            .start();
    federation.awaitOnline(1, Duration.ofSeconds(30));
    SuperNode node = federation.node(0);
    Path database = dir.resolve("node-0").resolve("node.sqlite");
    ConsolePassword.set(ConsolePassword.fileOf(database), PASSWORD.toCharArray());
    console =
        NodeConsole.builder(ConsoleNode.of(database, node)).address("127.0.0.1", 0).build().start();
    base = "http://127.0.0.1:" + console.port();

    approvedJar = PlanJars.build(dir, "ConsoleApproved");
    rejectedJar = PlanJars.build(dir, "ConsoleRejected");
    targetJar = PlanJars.build(dir, "ConsoleCsrfTarget");
    for (Path jar : List.of(approvedJar, rejectedJar, targetJar)) {
      try (ControlConnection c =
          new ControlConnection(
              federation.endpoint(), federation.caFile(), List.of(), Duration.ofSeconds(30))) {
        PlanApproval.request(c, PlanJar.read(jar), "RESEARCHER_console", Duration.ofSeconds(30));
      }
    }

    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (console != null) {
      console.close();
    }
    if (federation != null) {
      federation.close();
    }
  }

  @Test
  @Order(1)
  void wrongPasswordIsRefused() throws IOException {
    browser.get(base + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password")));
    assertThat(browser.getCurrentUrl()).endsWith("/login");
    screenshot("login");
    browser.findElement(By.id("password")).sendKeys("not the password");
    browser.findElement(By.id("login")).click();
    WebElement flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
    assertThat(flash.getText()).isEqualTo("Wrong password.");
    assertThat(browser.findElements(By.id("logout"))).isEmpty();
    screenshot("wrong-password");
  }

  @Test
  @Order(2)
  void logsInAndSeesTheNodeStatus() throws IOException {
    logIn();
    WebElement connection =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("connection")));
    assertThat(connection.getText()).isEqualTo("connected");
    assertThat(browser.findElement(By.id("node-id")).getText())
        .isEqualTo(Long.toString(federation.node(0).nodeId()));
    assertThat(browser.findElement(By.id("security")).getText())
        .contains("training_plan_approval true")
        .contains("allow_default_training_plans false");
    assertThat(browser.manage().getCookies())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.isHttpOnly()).isTrue();
              assertThat(c.getSameSite()).isEqualTo("Strict");
            });
    screenshot("status");
  }

  @Test
  @Order(3)
  void addsPreviewsAndRemovesADataset() throws IOException {
    Path file = federation.node(0).datasets().list().get(0).path();
    browser.get(base + "/datasets");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("add-dataset")));
    browser.findElement(By.id("name")).sendKeys("extra-copy");
    browser.findElement(By.id("path")).sendKeys(file.toString());
    browser.findElement(By.id("tags")).sendKeys("console-added, second");
    browser.findElement(By.id("add")).click();
    WebElement flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
    assertThat(flash.getText()).startsWith("Dataset 'extra-copy' registered:");
    assertThat(federation.node(0).datasets().list())
        .anySatisfy(d -> assertThat(d.tags()).containsExactly("console-added", "second"));
    String table = browser.findElement(By.id("datasets")).getText();
    assertThat(table).contains("extra-copy").contains("console-added, second");
    screenshot("datasets");

    browser.findElement(By.linkText("extra-copy")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("columns")));
    assertThat(browser.findElement(By.id("classes")).getText()).isEqualTo("2");
    assertThat(browser.findElements(By.cssSelector("#preview tr"))).hasSize(11);
    screenshot("dataset-preview");

    browser.get(base + "/datasets/extra-copy/remove");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-remove")));
    screenshot("dataset-remove");
    browser.findElement(By.id("confirm-remove")).click();
    flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
    assertThat(flash.getText()).isEqualTo("Dataset 'extra-copy' removed (its file stays).");
    assertThat(federation.node(0).datasets().list())
        .extracting(d -> d.name())
        .containsExactly("part-0");
  }

  @Test
  @Order(4)
  void approvedPlanRunsOnTheNode() throws IOException {
    browser.get(base + "/plans");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("plans-pending")));
    assertThat(browser.findElement(By.id("plans-pending")).getText())
        .contains("ConsoleApproved.jar")
        .contains("ConsoleRejected.jar")
        .contains("RESEARCHER_console");
    screenshot("plans");
    openPlan("ConsoleApproved.jar");
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Pending");
    assertThat(browser.findElement(By.id("entries")).getText())
        .contains("demo/plans/ConsoleApproved.class");
    screenshot("plan");
    browser.findElement(By.id("notes-input")).sendKeys("reviewed: reads only the features");
    browser.findElement(By.id("approve")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Approved"));
    assertThat(browser.findElement(By.id("notes")).getText())
        .isEqualTo("reviewed: reads only the features");
    assertThat(plan("ConsoleApproved.jar").status()).isEqualTo(PlanStatus.APPROVED);

    ExpectedRun run = run(approvedJar);

    browser.get(base + "/");
    WebElement tasks = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tasks")));
    assertThat(tasks.getText()).contains(run.id()).contains("train").contains("ok");
    screenshot("status-after-run");
  }

  @Test
  @Order(5)
  void rejectedPlanFailsTheResearchersRound() throws IOException {
    browser.get(base + "/plans");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("plans-pending")));
    openPlan("ConsoleRejected.jar");
    browser.findElement(By.id("notes-input")).sendKeys("sends too much");
    browser.findElement(By.id("reject")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Rejected"));
    screenshot("plan-rejected");

    assertThatThrownBy(() -> run(rejectedJar))
        .isInstanceOf(RoundFailedException.class)
        .hasMessageContaining("is not approved on node " + federation.node(0).nodeId())
        .hasMessageContaining("(status Rejected)");
  }

  @Test
  @Order(6)
  void formFromAnotherOriginIsRefused() throws IOException {
    String hash = plan("ConsoleCsrfTarget.jar").hash();
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String page =
        "<!DOCTYPE html><html><body><form method='post' action='"
            + base
            + "/plans/"
            + hash
            + "/approve'><input type='hidden' name='csrf' value='guessed'>"
            + "<input type='hidden' name='notes' value='approved by a stranger'>"
            + "<button id='bait'>Win a prize</button></form></body></html>";
    attacker.createContext(
        "/",
        exchange -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    attacker.start();
    try {
      browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
      wait.until(ExpectedConditions.elementToBeClickable(By.id("bait"))).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "refused"));
      assertThat(browser.findElement(By.tagName("body")).getText())
          .isEqualTo("refused: the form was not sent from this console");
      screenshot("csrf-refused");
    } finally {
      attacker.stop(0);
    }
    assertThat(plan("ConsoleCsrfTarget.jar").status()).isEqualTo(PlanStatus.PENDING);
  }

  record ExpectedRun(String id) {}

  private static ExpectedRun run(Path jar) {
    ExperimentResult r =
        federation
            .experiment()
            .planJar(jar)
            .rounds(1)
            .trainingArgs(TrainingArgs.defaults().withSeed(5))
            .build()
            .run();
    assertThat(r.history()).hasSize(1);
    return new ExpectedRun(r.runId());
  }

  private static void logIn() {
    browser.get(base + "/login");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password")));
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("login")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("logout")));
  }

  private static void openPlan(String name) {
    browser.findElement(By.xpath("//tr[td[text()='" + name + "']]//a")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("decide")));
  }

  private static TrainingPlanRecord plan(String name) {
    return federation.node(0).plans().list().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no plan " + name));
  }

  private static void screenshot(String name) throws IOException {
    File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        png.toPath(),
        SHOTS.resolve(String.format("%02d-%s.png", ++shot, name)),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
