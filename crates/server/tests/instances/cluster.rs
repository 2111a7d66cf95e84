//! The processes of the instances test: a fresh PostgreSQL database with
//! the demonstration data, three `samverkan serve` on it, nginx in front of
//! them, each killed when dropped (also on panic).

use crate::browser::{Answer, client};
use crate::{BIN, DATABASE, INSTANCES};
use samverkan_testkit::smtp::{self, SmtpServer};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long an instance or nginx may take to answer `/health` at the start.
const START_TIMEOUT: Duration = Duration::from_secs(90);

// --- the processes -----------------------------------------------------------------

/// A child process, killed and waited for when dropped (also on panic).
pub struct Proc {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Proc {
    /// Starts `command` with its standard output and error in `log`.
    fn spawn(name: String, command: &mut Command, log: PathBuf) -> Proc {
        let out = File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let err = out.try_clone().expect("the log file, again");
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Proc { name, child, log }
    }

    /// How it ended, if it has.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Asks it to stop, as a service manager does (SIGTERM).
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM {} failed", self.name);
    }

    /// The last lines of its log.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Waits until `url` answers 200; panics with the log when the process
    /// exits first or [`START_TIMEOUT`] passes.
    async fn wait_for_health(&mut self, url: &str) {
        let client = client();
        let started = Instant::now();
        loop {
            if let Some(status) = self.exited() {
                panic!(
                    "{} exited ({status}) before {url} answered 200; its log:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            if let Ok(res) = client.get(url).send().await
                && res.status() == 200
            {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "{} did not answer 200 at {url} within {} s; its log:\n{}",
                self.name,
                START_TIMEOUT.as_secs(),
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder for the logs and nginx's files; removed at the end, or kept
/// (and named) when the test panics.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let path = std::env::temp_dir().join(format!("samverkan-instances-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the scratch folder");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "the logs of the instances and nginx are kept in {}",
                self.0.display()
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

// --- the database ------------------------------------------------------------------

/// PostgreSQL's administrative URL, as the other tests find it.
fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `admin` with the database `database` instead of its own (a query kept).
fn url_for(admin: &str, database: &str) -> String {
    let (main, query) = match admin.split_once('?') {
        Some((main, query)) => (main, format!("?{query}")),
        None => (admin, String::new()),
    };
    let host_at = main.find("://").map_or(0, |i| i + 3);
    let base = match main[host_at..].find('/') {
        Some(slash) => &main[..host_at + slash],
        None => main,
    };
    format!("{base}/{database}{query}")
}

async fn admin_sql(sql: &str) -> Result<(), String> {
    let admin = admin_url();
    let mut conn = tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&admin))
        .await
        .map_err(|_| format!("PostgreSQL at {admin} did not answer within 10 s"))?
        .map_err(|e| {
            format!(
                "PostgreSQL is not reachable at {admin} ({e}): start it or set TEST_POSTGRES_URL"
            )
        })?;
    let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| format!("{sql}: {e}"));
    let _ = conn.close().await;
    done
}

/// The test's database: created empty at the start, dropped at the end.
struct Database {
    url: String,
}

impl Database {
    async fn fresh() -> Database {
        for sql in [
            format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"),
            format!("CREATE DATABASE {DATABASE}"),
        ] {
            admin_sql(&sql).await.unwrap_or_else(|e| panic!("{e}"));
        }
        Database {
            url: url_for(&admin_url(), DATABASE),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // On a thread with its own runtime: this runs inside the test's.
        let _ = std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                let sql = format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)");
                if let Err(e) = runtime.block_on(admin_sql(&sql)) {
                    eprintln!("could not drop the test database: {e}");
                }
            }
        })
        .join();
    }
}

/// The binary on the database at `url`, without any setting this
/// environment may hold (`SAMVERKAN_*`, `DATABASE_URL`): in particular no
/// instance runs with another snapshot TTL than the default.
fn samverkan(url: &str) -> Command {
    let mut command = Command::new(BIN);
    for (key, _) in std::env::vars_os() {
        if let Some(key) = key.to_str()
            && (key.starts_with("SAMVERKAN_") || key == "DATABASE_URL")
        {
            command.env_remove(key);
        }
    }
    command.arg("--database-url").arg(url);
    command
}

/// `samverkan demo`: migrates the database and loads the demonstration data.
async fn load_demo(url: &str) {
    let output = tokio::process::Command::from(samverkan(url))
        .arg("demo")
        .output()
        .await
        .expect("run samverkan demo");
    assert!(
        output.status.success(),
        "samverkan demo failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

// --- the cluster ---------------------------------------------------------------------

/// `n` free ports on 127.0.0.1, all held until every one is chosen, so
/// none is given twice.
fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<std::net::TcpListener> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("a free port"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("its address").port())
        .collect()
}

/// One `samverkan serve`.
pub struct Instance {
    /// "instance 2 (127.0.0.1:41234)", in every message about it.
    pub label: String,
    addr: String,
    pub proc: Proc,
}

impl Instance {
    /// Starts instance `number` on `port`: links in mail point at nginx
    /// (`public`), mail goes to the test SMTP server; the snapshot TTL is
    /// the default (no `--snapshot-ttl-secs`).
    pub fn start(
        number: usize,
        port: u16,
        public: &str,
        url: &str,
        smtp_port: u16,
        dir: &Path,
    ) -> Instance {
        let addr = format!("127.0.0.1:{port}");
        let label = format!("instance {number} ({addr})");
        let mut command = samverkan(url);
        command
            .arg("serve")
            .args(["--bind", &addr, "--base-url", public])
            .args(["--smtp-host", "127.0.0.1", "--smtp-security", "none"])
            .args(["--smtp-port", &smtp_port.to_string()]);
        let log = dir.join(format!("instance-{number}.log"));
        let proc = Proc::spawn(label.clone(), &mut command, log);
        Instance { label, addr, proc }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// nginx's configuration: round robin over `upstreams` on `port`, every file
/// it writes under `dir`, the instance that answered named in `X-Upstream`,
/// and no retry on another instance (a failure shows). One process
/// (`master_process off`): the child started is all of nginx, so killing it
/// leaves no worker behind, and it never switches to another user.
fn nginx_config(dir: &Path, port: u16, upstreams: &[&str]) -> String {
    let d = dir.display();
    let servers: String = upstreams
        .iter()
        .map(|addr| format!("    server {addr};\n"))
        .collect();
    format!(
        r#"daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/client_body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  # No balancing method named: round robin.
  upstream samverkan {{
{servers}  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://samverkan;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream off;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"#
    )
}

/// Debian's nginx, or `nginx` on the PATH.
fn nginx_binary() -> PathBuf {
    let debian = PathBuf::from("/usr/sbin/nginx");
    if debian.exists() {
        return debian;
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("nginx"))
            .find(|p| p.exists())
    });
    found.unwrap_or_else(|| panic!("nginx is missing: install it with `apt-get install nginx`"))
}

/// nginx in front of `instances` on `port`, answering through them.
async fn start_nginx(dir: &Path, port: u16, instances: &[Instance]) -> Proc {
    let home = dir.join("nginx");
    std::fs::create_dir_all(&home).expect("nginx's folder");
    let upstreams: Vec<&str> = instances.iter().map(|i| i.addr.as_str()).collect();
    let config = home.join("nginx.conf");
    std::fs::write(&config, nginx_config(&home, port, &upstreams)).expect("nginx.conf");
    let mut command = Command::new(nginx_binary());
    command
        .arg("-p")
        .arg(&home)
        .arg("-c")
        .arg(&config)
        .arg("-e")
        .arg(home.join("error.log"));
    let name = format!("nginx (127.0.0.1:{port})");
    let mut nginx = Proc::spawn(name, &mut command, dir.join("nginx.log"));
    nginx
        .wait_for_health(&format!("http://127.0.0.1:{port}/health"))
        .await;
    nginx
}

/// Three instances on one database behind nginx, and the SMTP server
/// they send to. Dropped in field order: nginx and the instances are
/// killed before the database is dropped.
pub struct Cluster {
    nginx: Proc,
    pub instances: Vec<Instance>,
    /// nginx's address, `http://127.0.0.1:PORT`.
    public: String,
    pub smtp: &'static SmtpServer,
    _database: Database,
    _scratch: Scratch,
}

impl Cluster {
    pub async fn start() -> Cluster {
        let scratch = Scratch::new();
        let database = Database::fresh().await;
        load_demo(&database.url).await;
        let smtp = smtp::server();
        let ports = free_ports(INSTANCES + 1);
        let public = format!("http://127.0.0.1:{}", ports[0]);
        let mut instances: Vec<Instance> = ports[1..]
            .iter()
            .enumerate()
            .map(|(i, port)| {
                Instance::start(i + 1, *port, &public, &database.url, smtp.port, &scratch.0)
            })
            .collect();
        for instance in &mut instances {
            let health = instance.url("/health");
            instance.proc.wait_for_health(&health).await;
        }
        let nginx = start_nginx(&scratch.0, ports[0], &instances).await;
        Cluster {
            nginx,
            instances,
            public,
            smtp,
            _database: database,
            _scratch: scratch,
        }
    }

    pub fn describe(&self) {
        println!("database {DATABASE}; {} round robin over:", self.nginx.name);
        for instance in &self.instances {
            println!("  {} (default snapshot TTL)", instance.label);
        }
        println!(
            "mail to the test SMTP server on 127.0.0.1:{}",
            self.smtp.port
        );
    }

    /// `path` through nginx.
    pub fn lb(&self, path: &str) -> String {
        format!("{}{path}", self.public)
    }

    /// Which instance answered a request through nginx.
    pub fn index_of(&self, answer: &Answer) -> Option<usize> {
        let upstream = answer.upstream.as_deref()?;
        self.instances.iter().position(|i| i.addr == upstream)
    }

    /// The instance that answered, for messages.
    pub fn who(&self, answer: &Answer) -> String {
        match (self.index_of(answer), &answer.upstream) {
            (Some(i), _) => self.instances[i].label.clone(),
            (None, Some(other)) => format!("an unknown upstream ({other})"),
            (None, None) => "nginx (no upstream named)".into(),
        }
    }

    /// "1, 2, 3, 1, 2, 3": the instances that answered, in order.
    pub fn names(&self, served: &[Option<usize>]) -> String {
        let names: Vec<String> = served
            .iter()
            .map(|s| s.map_or("?".into(), |i| format!("{}", i + 1)))
            .collect();
        format!("instances {}", names.join(", "))
    }
}
