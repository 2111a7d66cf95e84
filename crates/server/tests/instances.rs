//! Three instances of `samverkan serve` on one PostgreSQL database behind a
//! real load balancer (nginx, round robin), checked through nginx and against
//! each instance directly:
//!
//! 1. a session made through nginx holds on every instance;
//! 2. a public change (a progress update published with the real form) shows
//!    at once on the writer's own next pages through nginx (2a), and on every
//!    instance, asked directly, within a second (2b);
//! 3. a queued mail is sent once, whichever job runner takes it;
//! 4. the limit on password-reset mails is counted across the instances;
//! 5. `/health` answers 200 on every instance all along.
//!
//! The instances run with their default snapshot TTL: what is checked is that
//! a change reaches the other instances, not that a short TTL hides it.
//!
//! It needs nginx (Debian's `nginx`), PostgreSQL at `TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`, a user that may
//! create databases) and aiosmtpd, so a plain `cargo test` skips it;
//! `scripts/test` runs it (step 7):
//!
//! ```sh
//! cargo test -p samverkan --test instances -- --ignored --nocapture
//! ```
//!
//! Every check runs and prints its result, naming the instance and the time
//! measured; the test fails at the end when any check failed.

#[path = "instances/browser.rs"]
mod browser;
#[path = "instances/cluster.rs"]
mod cluster;

use browser::{Answer, Browser, client};
use cluster::Cluster;
use samverkan_app::throttle::MailAction;
use samverkan_testkit::smtp::SmtpServer;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_samverkan");
/// The test's database, dropped and created at the start, dropped at the end.
const DATABASE: &str = "samverkan_instances";
const INSTANCES: usize = 3;
/// A coordinator of Malmöandan in the demonstration data (demo/accounts.toml).
const COORDINATOR: &str = "samordnare@sjovik.example";
const COORDINATOR_PASSWORD: &str = "sjövik demo lösenord";
/// An activity of Malmöandan on which its coordinators publish updates.
const ACTIVITY: &str = "/agreements/malmoandan/plans/2018-2022/activities/fredagsfotboll-rosengard";
/// Requests through nginx in the session check: each instance answers two.
const SESSION_REQUESTS: usize = 2 * INSTANCES;
/// Requests through nginx after publishing: each instance answers one.
const OWN_READS: usize = INSTANCES;
/// Demo accounts whose password-reset mail checks 3 and 4 count.
const JOB_MAIL_TO: &str = "admin@samverkan.example";
const THROTTLED_TO: &str = "ordforande@rosengardsstjarnan.example";
/// How soon a change must show on every instance, and how often each is asked.
const SPREAD_LIMIT: Duration = Duration::from_secs(1);
const POLL_EVERY: Duration = Duration::from_millis(50);
/// How long an instance that missed the limit is still watched, to report
/// how late it was.
const WATCH_LATE: Duration = Duration::from_secs(10);
/// A job runner that was not told of a new job wakes at least this often
/// (`App::run_jobs_forever`), so after it every runner has seen the queue.
const RUNNER_WAKES_EVERY: Duration = Duration::from_secs(10);
/// How long to go on counting mail after the expected messages arrived.
const SETTLE: Duration = Duration::from_secs(3);
const MAIL_TIMEOUT: Duration = Duration::from_secs(30);
const HEALTH_EVERY: Duration = Duration::from_millis(250);

const SESSIONS: &str = "1. sessions are shared";
const READ_YOUR_WRITES: &str = "2a. the writer's next pages through nginx show the change at once";
const SPREAD: &str = "2b. every instance, asked directly, shows the change within 1 s";
const JOBS_ONCE: &str = "3. a queued mail is sent once";
const THROTTLE: &str = "4. the password-reset limit is shared";
const HEALTH: &str = "5. /health answers 200 on every instance";
const STOP: &str = "6. an instance told to stop (SIGTERM) exits cleanly while the others serve";
/// How long a stopping instance may take before it counts as hanging (it
/// waits for its requests in flight and its database connections).
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nginx and PostgreSQL: run by scripts/test"]
async fn three_instances_behind_nginx_share_sessions_changes_jobs_and_limits() {
    let mut cluster = Cluster::start().await;
    cluster.describe();
    let health = HealthWatch::start(&cluster);
    let mut results = Results::default();
    let mut person = Browser::new();
    match sign_in(&cluster, &mut person).await {
        Ok(()) => {
            results.record(SESSIONS, check_sessions(&cluster, &mut person).await);
            let (mine, everyone) = check_change(&cluster, &mut person).await;
            results.record(READ_YOUR_WRITES, mine);
            results.record(SPREAD, everyone);
        }
        Err(e) => {
            results.record(SESSIONS, Err(e));
            let not_run = || Err("not run: the sign-in through nginx failed (check 1)".into());
            results.record(READ_YOUR_WRITES, not_run());
            results.record(SPREAD, not_run());
        }
    }
    results.record(JOBS_ONCE, check_jobs_run_once(&cluster).await);
    results.record(THROTTLE, check_throttle_is_shared(&cluster).await);
    let tallies = health.stop().await;
    results.record(HEALTH, check_health(&mut cluster, &tallies));
    results.record(STOP, check_stop(&mut cluster).await);
    results.finish();
}

// --- the checks ------------------------------------------------------------------

/// Signs the coordinator in through nginx with the real form.
async fn sign_in(cluster: &Cluster, person: &mut Browser) -> Result<(), String> {
    let login = cluster.lb("/login");
    let fields = [
        ("email", COORDINATOR),
        ("password", COORDINATOR_PASSWORD),
        ("next", "/account"),
    ];
    let answer = person.submit(&login, &login, &fields).await?;
    if answer.status != 303 || !person.cookies.contains_key("sid") {
        return Err(format!(
            "signing in as {COORDINATOR} through nginx: {} answered {} (wanted 303 with a session cookie)",
            cluster.who(&answer),
            answer.summary()
        ));
    }
    Ok(())
}

/// Whether the answer is the account page of the signed-in coordinator.
fn shows_account(answer: &Answer) -> bool {
    answer.status == 200 && answer.body.contains(COORDINATOR)
}

/// Check 1: six requests through nginx (two per instance) and one to each
/// instance directly, all with the cookie of the sign-in, all signed in.
async fn check_sessions(cluster: &Cluster, person: &mut Browser) -> Result<String, String> {
    let mut problems = Vec::new();
    let mut served = Vec::new();
    for n in 1..=SESSION_REQUESTS {
        let answer = person.get(&cluster.lb("/account")).await;
        if !shows_account(&answer) {
            problems.push(format!(
                "request {n} through nginx, answered by {}: {}, not the signed-in account page",
                cluster.who(&answer),
                answer.summary()
            ));
        }
        served.push(cluster.index_of(&answer));
    }
    problems.extend(spread_problems(cluster, &served, 2));
    for instance in &cluster.instances {
        let answer = person.get(&instance.url("/account")).await;
        if !shows_account(&answer) {
            problems.push(format!(
                "{} asked directly with the same cookie: {}, not the signed-in account page",
                instance.label,
                answer.summary()
            ));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "signed in through nginx; GET /account {SESSION_REQUESTS} times through nginx \
             (answered by {}) and once on each instance directly: signed in every time",
            cluster.names(&served)
        ))
    } else {
        Err(problems.join("\n  "))
    }
}

/// Problems when nginx did not send at least `each` of the requests to
/// every instance (a broken set-up rather than a broken server).
fn spread_problems(cluster: &Cluster, served: &[Option<usize>], each: usize) -> Vec<String> {
    cluster
        .instances
        .iter()
        .enumerate()
        .filter_map(|(i, instance)| {
            let got = served.iter().filter(|s| **s == Some(i)).count();
            (got < each).then(|| {
                format!(
                    "nginx sent {got} of the {} requests to {}, not {each}: the round robin did not reach every instance",
                    served.len(),
                    instance.label
                )
            })
        })
        .collect()
}

/// Check 2: every instance has the activity page cached, the coordinator
/// publishes an update through nginx, then (a) their next pages through
/// nginx and (b) each instance asked directly must show it.
async fn check_change(
    cluster: &Cluster,
    person: &mut Browser,
) -> (Result<String, String>, Result<String, String>) {
    let text = format!(
        "Instanskontroll {}: uppdateringen syns på alla tre instanserna.",
        unique_number()
    );
    if let Err(e) = warm_every_instance(cluster, &text).await {
        return (Err(e.clone()), Err(e));
    }
    let (location, posted_at) = match publish_update(cluster, person, &text).await {
        Ok(published) => published,
        Err(e) => return (Err(e.clone()), Err(e)),
    };
    let watchers: Vec<_> = cluster
        .instances
        .iter()
        .map(|instance| tokio::spawn(watch_for(instance.url(ACTIVITY), text.clone(), posted_at)))
        .collect();
    let mine = read_own_writes(cluster, person, &location, &text, posted_at).await;
    let mut times = Vec::new();
    for watcher in watchers {
        times.push(watcher.await.expect("a watcher task"));
    }
    (mine, spread_result(cluster, &times))
}

/// Reads the activity page on every instance directly, so that each holds
/// its public snapshot from before the change (as instances in use do).
async fn warm_every_instance(cluster: &Cluster, text: &str) -> Result<(), String> {
    let mut visitor = Browser::new();
    for instance in &cluster.instances {
        let answer = visitor.get(&instance.url(ACTIVITY)).await;
        if answer.status != 200 || answer.body.contains(text) {
            return Err(format!(
                "before the change, GET {ACTIVITY} on {}: {} (wanted 200 without the update)",
                instance.label,
                answer.summary()
            ));
        }
    }
    Ok(())
}

/// Publishes `text` as a progress update through nginx with the form on
/// the activity page; the redirect's target and when its answer came.
async fn publish_update(
    cluster: &Cluster,
    person: &mut Browser,
    text: &str,
) -> Result<(String, Instant), String> {
    let action = cluster.lb(&format!("{ACTIVITY}/updates"));
    let answer = person
        .submit(&cluster.lb(ACTIVITY), &action, &[("body", text)])
        .await?;
    let posted_at = Instant::now();
    match &answer.location {
        Some(to) if answer.status == 303 && to.contains("update-published") => {
            println!(
                "published an update through nginx on {} ({})",
                cluster.who(&answer),
                answer.summary()
            );
            let path = to.split('#').next().unwrap_or(to);
            Ok((path.to_owned(), posted_at))
        }
        _ => Err(format!(
            "publishing an update through nginx: {} answered {} (wanted 303 to …?done=update-published)",
            cluster.who(&answer),
            answer.summary()
        )),
    }
}

/// Check 2a: the redirect's target and the next requests through nginx
/// (one per instance) must all show the update.
async fn read_own_writes(
    cluster: &Cluster,
    person: &mut Browser,
    location: &str,
    text: &str,
    posted_at: Instant,
) -> Result<String, String> {
    let mut lines = Vec::new();
    let mut failed = false;
    let mut served = Vec::new();
    for n in 1..=OWN_READS {
        let answer = person.get(&cluster.lb(location)).await;
        let shown = answer.status == 200 && answer.body.contains(text);
        failed |= !shown;
        lines.push(format!(
            "GET {n} through nginx, answered by {} {} ms after the POST's answer: {} ({})",
            cluster.who(&answer),
            posted_at.elapsed().as_millis(),
            if shown {
                "shows it"
            } else {
                "does NOT show it"
            },
            answer.summary()
        ));
        served.push(cluster.index_of(&answer));
    }
    let spread = spread_problems(cluster, &served, 1);
    failed |= !spread.is_empty();
    lines.extend(spread);
    if failed {
        Err(lines.join("\n  "))
    } else {
        Ok(lines.join("\n  "))
    }
}

/// Asks `url` every 50 ms until its page shows `text`: how long after
/// `since` it first did, or `None` when it did not within the limit and
/// [`WATCH_LATE`] more.
async fn watch_for(url: String, text: String, since: Instant) -> Option<Duration> {
    let client = client();
    let mut tick = tokio::time::interval(POLL_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while since.elapsed() < SPREAD_LIMIT + WATCH_LATE {
        tick.tick().await;
        if let Ok(res) = client.get(&url).send().await
            && res.status() == 200
            && let Ok(body) = res.text().await
            && body.contains(&text)
        {
            return Some(since.elapsed());
        }
    }
    None
}

/// Check 2b from the time each instance took to show the change.
fn spread_result(cluster: &Cluster, times: &[Option<Duration>]) -> Result<String, String> {
    let mut failed = false;
    let lines: Vec<String> = cluster
        .instances
        .iter()
        .zip(times)
        .map(|(instance, took)| match took {
            Some(t) if *t <= SPREAD_LIMIT => {
                format!("{}: shows it after {} ms", instance.label, t.as_millis())
            }
            Some(t) => {
                failed = true;
                format!(
                    "{}: shows it only after {} ms (limit {} ms)",
                    instance.label,
                    t.as_millis(),
                    SPREAD_LIMIT.as_millis()
                )
            }
            None => {
                failed = true;
                format!(
                    "{}: does not show it even {} s after the POST's answer",
                    instance.label,
                    (SPREAD_LIMIT + WATCH_LATE).as_secs()
                )
            }
        })
        .collect();
    if failed {
        Err(lines.join("\n  "))
    } else {
        Ok(lines.join("\n  "))
    }
}

/// Check 3: one reset request through nginx gives exactly one message,
/// counted again once every instance's job runner has seen the queue.
async fn check_jobs_run_once(cluster: &Cluster) -> Result<String, String> {
    let mut visitor = Browser::new();
    let page = cluster.lb("/forgot-password");
    let answer = visitor
        .submit(&page, &page, &[("email", JOB_MAIL_TO)])
        .await?;
    let asked = Instant::now();
    if answer.status != 200 {
        return Err(format!(
            "asking for a reset link for {JOB_MAIL_TO} through nginx: {} answered {} (wanted 200)",
            cluster.who(&answer),
            answer.summary()
        ));
    }
    let first = wait_for_mails(cluster.smtp, JOB_MAIL_TO, 1, asked)
        .await
        .ok_or_else(|| {
            format!(
                "no reset mail to {JOB_MAIL_TO} within {} s of the request ({} took it)",
                MAIL_TIMEOUT.as_secs(),
                cluster.who(&answer)
            )
        })?;
    let counted_after = (first + SETTLE).max(RUNNER_WAKES_EVERY + Duration::from_secs(1));
    tokio::time::sleep_until((asked + counted_after).into()).await;
    let count = reset_mails(cluster.smtp, JOB_MAIL_TO);
    let what = format!(
        "request through nginx ({}); the first mail came {} ms after it; counted {} s after it",
        cluster.who(&answer),
        first.as_millis(),
        counted_after.as_secs()
    );
    if count == 1 {
        Ok(format!("one reset mail to {JOB_MAIL_TO}: {what}"))
    } else {
        Err(format!(
            "{count} reset mails to {JOB_MAIL_TO}, wanted exactly 1: {what}"
        ))
    }
}

/// Check 4: the limit's worth of reset requests for one address, each to
/// another instance directly, then one more: refused with 429 and
/// `Retry-After`, and no more mail than the limit.
async fn check_throttle_is_shared(cluster: &Cluster) -> Result<String, String> {
    let limit = usize::try_from(MailAction::PasswordReset.per_target()).expect("a small limit");
    let mut visitor = Browser::new();
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let started = Instant::now();
    for n in 0..=limit {
        let instance = &cluster.instances[n % INSTANCES];
        let page = instance.url("/forgot-password");
        let answer = visitor
            .submit(&page, &page, &[("email", THROTTLED_TO)])
            .await?;
        let line = format!(
            "request {} to {} directly: {}, Retry-After {:?}",
            n + 1,
            instance.label,
            answer.summary(),
            answer.retry_after
        );
        let retry_after = answer
            .retry_after
            .as_deref()
            .and_then(|v| v.parse::<u64>().ok());
        let wanted = if n < limit {
            answer.status == 200
        } else {
            answer.status == 429 && retry_after.is_some_and(|s| s > 0)
        };
        if !wanted {
            let want = if n < limit {
                "200"
            } else {
                "429 with Retry-After"
            };
            problems.push(format!("{line} (wanted {want})"));
        }
        lines.push(line);
    }
    let refused_at = Instant::now();
    if wait_for_mails(cluster.smtp, THROTTLED_TO, limit, started)
        .await
        .is_none()
    {
        problems.push(format!(
            "fewer than {limit} reset mails to {THROTTLED_TO} arrived within {} s",
            MAIL_TIMEOUT.as_secs()
        ));
    }
    tokio::time::sleep_until((refused_at + SETTLE).max(Instant::now()).into()).await;
    let count = reset_mails(cluster.smtp, THROTTLED_TO);
    let counted = format!(
        "{count} reset mails to {THROTTLED_TO} (wanted {limit}, counted {} s after the last request)",
        refused_at.elapsed().as_secs()
    );
    if count != limit {
        problems.push(counted.clone());
    }
    lines.push(counted);
    if problems.is_empty() {
        Ok(lines.join("\n  "))
    } else {
        Err(format!(
            "{}\n  all requests:\n  {}",
            problems.join("\n  "),
            lines.join("\n  ")
        ))
    }
}

/// How many password-reset mails `to` has received.
fn reset_mails(smtp: &SmtpServer, to: &str) -> usize {
    smtp.messages_to(to)
        .iter()
        .filter(|m| m.body.contains("/reset/"))
        .count()
}

/// Waits until `to` has received `n` reset mails: how long after `since`
/// the n-th was seen, or `None` after [`MAIL_TIMEOUT`].
async fn wait_for_mails(smtp: &SmtpServer, to: &str, n: usize, since: Instant) -> Option<Duration> {
    while since.elapsed() < MAIL_TIMEOUT {
        if reset_mails(smtp, to) >= n {
            return Some(since.elapsed());
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
    None
}

/// Check 5 from what the health watch saw, and whether every instance
/// still runs.
fn check_health(cluster: &mut Cluster, tallies: &[HealthTally]) -> Result<String, String> {
    let mut problems = Vec::new();
    for (instance, tally) in cluster.instances.iter_mut().zip(tallies) {
        problems.extend(
            tally
                .failures
                .iter()
                .map(|f| format!("{}: {f}", instance.label)),
        );
        if tally.answered == 0 {
            problems.push(format!("{}: /health never answered 200", instance.label));
        }
        if let Some(status) = instance.proc.exited() {
            problems.push(format!(
                "{} exited ({status}); its log:\n{}",
                instance.label,
                instance.proc.log_tail()
            ));
        }
    }
    let counts: Vec<String> = cluster
        .instances
        .iter()
        .zip(tallies)
        .map(|(i, t)| format!("{}: {} times 200", i.label, t.answered))
        .collect();
    if problems.is_empty() {
        Ok(format!(
            "asked every {} ms during the whole run: {}",
            HEALTH_EVERY.as_millis(),
            counts.join(", ")
        ))
    } else {
        Err(problems.join("\n  "))
    }
}

/// Check 6: the last instance, sent SIGTERM, exits with success (it does
/// not hang on its change listener or its pool), and nginx goes on
/// answering through the others meanwhile.
async fn check_stop(cluster: &mut Cluster) -> Result<String, String> {
    let public = cluster.lb("/health");
    let last = cluster.instances.last_mut().expect("an instance");
    last.proc.terminate();
    let asked = Instant::now();
    let mut answered = 0;
    let status = loop {
        if let Some(status) = last.proc.exited() {
            break status;
        }
        if asked.elapsed() > STOP_TIMEOUT {
            return Err(format!(
                "{} still runs {} s after SIGTERM; its log:\n{}",
                last.label,
                STOP_TIMEOUT.as_secs(),
                last.proc.log_tail()
            ));
        }
        match client().get(&public).send().await {
            Ok(res) if res.status() == 200 => answered += 1,
            Ok(res) => return Err(format!("nginx answered {} on /health", res.status())),
            Err(e) => return Err(format!("nginx did not answer /health: {e}")),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    if !status.success() {
        return Err(format!(
            "{} exited with {status}; its log:\n{}",
            last.label,
            last.proc.log_tail()
        ));
    }
    if !last.proc.log_tail().contains("shut down cleanly") {
        return Err(format!(
            "{} exited without closing its connections; its log:\n{}",
            last.label,
            last.proc.log_tail()
        ));
    }
    Ok(format!(
        "{} exited with success after {} ms; nginx answered /health {answered} times meanwhile",
        last.label,
        asked.elapsed().as_millis()
    ))
}

// --- results ---------------------------------------------------------------------

/// The checks' results, printed as they come and summed up at the end.
#[derive(Default)]
struct Results(Vec<(&'static str, Result<String, String>)>);

impl Results {
    fn record(&mut self, check: &'static str, result: Result<String, String>) {
        match &result {
            Ok(detail) => println!("\nPASS {check}\n  {detail}"),
            Err(problem) => println!("\nFAIL {check}\n  {problem}"),
        }
        self.0.push((check, result));
    }

    /// Prints the summary; fails the test when any check failed.
    fn finish(self) {
        println!("\n==== three instances behind nginx: summary ====");
        for (check, result) in &self.0 {
            let word = if result.is_ok() { "PASS" } else { "FAIL" };
            println!("  {word} {check}");
        }
        let failed: Vec<String> = self
            .0
            .iter()
            .filter_map(|(check, result)| result.as_ref().err().map(|e| format!("{check}:\n  {e}")))
            .collect();
        assert!(
            failed.is_empty(),
            "{} of {} checks failed:\n\n{}",
            failed.len(),
            self.0.len(),
            failed.join("\n\n")
        );
    }
}

// --- the health watch ------------------------------------------------------------

/// What the health watch saw of one instance.
#[derive(Default)]
struct HealthTally {
    answered: usize,
    failures: Vec<String>,
}

/// Asks every instance for `/health` every 250 ms until stopped.
struct HealthWatch {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Vec<HealthTally>>,
}

impl HealthWatch {
    fn start(cluster: &Cluster) -> HealthWatch {
        let urls: Vec<String> = cluster.instances.iter().map(|i| i.url("/health")).collect();
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn(watch_health(urls, stop.clone()));
        HealthWatch { stop, task }
    }

    async fn stop(self) -> Vec<HealthTally> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.expect("the health watch")
    }
}

async fn watch_health(urls: Vec<String>, stop: Arc<AtomicBool>) -> Vec<HealthTally> {
    let client = client();
    let started = Instant::now();
    let mut tallies: Vec<HealthTally> = urls.iter().map(|_| HealthTally::default()).collect();
    while !stop.load(Ordering::Relaxed) {
        for (url, tally) in urls.iter().zip(&mut tallies) {
            let at = started.elapsed().as_secs_f64();
            let asked = Instant::now();
            match client.get(url).send().await {
                Ok(res) if res.status() == 200 => tally.answered += 1,
                Ok(res) => tally.failures.push(format!(
                    "{} s into the run: /health answered {} after {} ms",
                    at.round(),
                    res.status(),
                    asked.elapsed().as_millis()
                )),
                Err(e) => tally.failures.push(format!(
                    "{} s into the run: /health gave no answer after {} ms: {e}",
                    at.round(),
                    asked.elapsed().as_millis()
                )),
            }
        }
        tokio::time::sleep(HEALTH_EVERY).await;
    }
    tallies
}

/// A number no other run gets, to tell this run's update from any other.
fn unique_number() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}
