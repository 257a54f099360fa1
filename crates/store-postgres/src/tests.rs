//! The storage story and backend-specific checks, each against a fresh,
//! empty database created on the cluster named by `GERBANG_TEST_POSTGRES_URL`
//! and dropped afterwards.

use std::str::FromStr;

use super::*;
use gerbang_store::story;

mod partitions;

/// The variable naming the test cluster.
const CLUSTER: &str = "GERBANG_TEST_POSTGRES_URL";

fn cluster_config() -> Config {
    let url = std::env::var(CLUSTER).unwrap_or_else(|_| {
        panic!(
            "{CLUSTER} is not set: the PostgreSQL tests need a cluster they may create databases on. \
             Run scripts/test.sh, or set {CLUSTER}=postgres://postgres@127.0.0.1:PORT/postgres"
        )
    });
    Config::from_str(&url).unwrap_or_else(|_| panic!("{CLUSTER} is not a PostgreSQL URL"))
}

async fn admin(config: &Config) -> tokio_postgres::Client {
    let (client, connection) =
        config.connect(NoTls).await.unwrap_or_else(|e| panic!("cannot reach the cluster in {CLUSTER}: {e}"));
    tokio::spawn(connection);
    client
}

/// A throwaway database on the test cluster.
pub(crate) struct TestDatabase {
    cluster: Config,
    name: String,
}

impl TestDatabase {
    /// Creates an empty database with a random name.
    pub(crate) async fn create() -> Self {
        let cluster = cluster_config();
        let mut suffix = [0u8; 8];
        getrandom::fill(&mut suffix).unwrap();
        let name = format!("gerbang_test_{}", suffix.iter().map(|b| format!("{b:02x}")).collect::<String>());
        // An identifier cannot be a bound parameter; the name is ours: letters,
        // digits and an underscore.
        admin(&cluster).await.batch_execute(&format!("create database {name}")).await.unwrap();
        TestDatabase { cluster, name }
    }

    /// The connection configuration of this database.
    pub(crate) fn config(&self) -> Config {
        let mut config = self.cluster.clone();
        config.dbname(&self.name);
        config
    }

    /// A pooled-style client on this database, for tests of the migrations.
    pub(crate) async fn client(&self) -> Client {
        let manager = Manager::from_config(self.config(), NoTls, ManagerConfig::default());
        let pool = Pool::builder(manager).max_size(2).build().unwrap();
        pool.get().await.unwrap()
    }

    /// Drops the database (best effort; connections still open are ended).
    pub(crate) async fn drop_now(self) {
        let client = admin(&self.cluster).await;
        let _ = client.batch_execute(&format!("drop database if exists {} with (force)", self.name)).await;
    }
}

/// Runs `step` on a store over a fresh database, drops the database, and
/// then fails the test if the step failed.
async fn with_fresh_store<F, Fut>(step: F)
where
    F: FnOnce(PostgresStore) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let database = TestDatabase::create().await;
    let store = PostgresStore::connect_with(database.config()).await.unwrap();
    let outcome = tokio::spawn(step(store)).await;
    database.drop_now().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

macro_rules! story_tests {
    ($($step:ident),+ $(,)?) => {$(
        #[tokio::test]
        async fn $step() {
            with_fresh_store(|store| async move { story::$step(&store).await }).await;
        }
    )+};
}

macro_rules! shared_story_tests {
    ($($step:ident),+ $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $step() {
            with_fresh_store(|store| async move { story::$step(Arc::new(store)).await }).await;
        }
    )+};
}

gerbang_store::story_steps!(story_tests, shared_story_tests);

/// Two processes on one database (two stores, two pools) recording at the
/// same time build one unbroken chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_record_into_one_chain() {
    let database = TestDatabase::create().await;
    let nodes = [
        PostgresStore::connect_with(database.config()).await.unwrap(),
        PostgresStore::connect_with(database.config()).await.unwrap(),
    ];
    let outcome = tokio::spawn(async move {
        let mut tasks = Vec::new();
        for (index, node) in nodes.iter().enumerate() {
            for batch in 0..10 {
                let node = node.clone();
                tasks.push(tokio::spawn(async move {
                    let records = (0..5).map(|n| story::sample_audit_record(index * 1000 + batch * 10 + n)).collect();
                    node.record_audit(records).await.unwrap()
                }));
            }
        }
        let mut seqs = Vec::new();
        for task in tasks {
            seqs.extend(task.await.unwrap());
        }
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=100).collect::<Vec<u64>>());
        let mut verifier = gerbang_core::audit::ChainVerifier::new();
        for sealed in nodes[0].audit_page(0, 1000).await.unwrap() {
            verifier.check(&sealed).unwrap();
        }
    })
    .await;
    database.drop_now().await;
    outcome.unwrap();
}

#[tokio::test]
async fn quota_is_exact_across_nodes() {
    let database = TestDatabase::create().await;
    let first = PostgresStore::connect_with(database.config()).await.unwrap();
    let second = PostgresStore::connect_with(database.config()).await.unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut tasks = Vec::new();
    for n in 0..40 {
        let node = if n % 2 == 0 { first.clone() } else { second.clone() };
        tasks.push(tokio::spawn(async move { node.charge_quota("ops", today, 15).await.unwrap() }));
    }
    let mut granted = 0;
    for task in tasks {
        granted += usize::from(task.await.unwrap().is_some());
    }
    let used = first.quota_used("ops", today).await.unwrap();
    drop((first, second));
    database.drop_now().await;
    assert_eq!((granted, used), (15, 15));
}

#[tokio::test]
async fn usage_from_the_trail_counts_towards_the_first_charge() {
    with_fresh_store(|store| async move {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let client = store.client().await.unwrap();
        client.execute("insert into quota_usage (user_id, day, used) values ('ops', $1, 4)", &[&today]).await.unwrap();
        assert_eq!(store.quota_used("ops", today).await.unwrap(), 4);
        assert_eq!(store.charge_quota("ops", today, 5).await.unwrap(), Some(0));
        assert_eq!(store.charge_quota("ops", today, 5).await.unwrap(), None);
        store.refund_quota("ops", today).await.unwrap();
        store.refund_quota("ops", today).await.unwrap();
        assert_eq!(store.quota_used("ops", today).await.unwrap(), 4, "usage recorded in the trail stays counted");
    })
    .await;
}

#[tokio::test]
async fn several_nodes_start_on_one_new_database() {
    let database = TestDatabase::create().await;
    let config = database.config();
    let (a, b, c) = tokio::join!(
        PostgresStore::connect_with(config.clone()),
        PostgresStore::connect_with(config.clone()),
        PostgresStore::connect_with(config.clone())
    );
    let keys = [
        a.unwrap().installation_key().await.unwrap(),
        b.unwrap().installation_key().await.unwrap(),
        c.unwrap().installation_key().await.unwrap(),
    ];
    database.drop_now().await;
    assert!(keys.iter().all(|key| *key == keys[0]), "one installation key for every node");
}

#[tokio::test]
async fn reconnecting_keeps_the_data_and_an_interrupted_bulk_load_heals() {
    let database = TestDatabase::create().await;
    let household = story::sample_household(1).unwrap();
    {
        let store = PostgresStore::connect_with(database.config()).await.unwrap();
        store.begin_bulk_load().await.unwrap();
        store.insert_households(vec![household.clone()]).await.unwrap();
        // Dropped without finish_bulk_load, as if the process had been killed.
    }
    let store = PostgresStore::connect_with(database.config()).await.unwrap();
    let found = store.resident(household.members[0].nik).await.unwrap();
    let client = store.client().await.unwrap();
    let index: i64 = client
        .query_one("select count(*) from pg_indexes where indexname = 'residents_by_no_kk'", &[])
        .await
        .unwrap()
        .get(0);
    drop((client, store));
    database.drop_now().await;
    assert!(found.is_some());
    assert_eq!(index, 1);
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable_and_keeps_the_password_secret() {
    // Port 1 on the loopback address: nothing listens there.
    let error = PostgresStore::connect("postgres://gerbang:s3cret-Pa55@127.0.0.1:1/gerbang").await.err().unwrap();
    assert_eq!(error.code(), "store.unavailable");
    assert!(!error.to_string().contains("s3cret-Pa55"), "{error}");
}

#[tokio::test]
async fn an_unreadable_url_is_unavailable_and_keeps_the_password_secret() {
    let error =
        PostgresStore::connect("postgres://gerbang:s3cret-Pa55@127.0.0.1:notaport/gerbang").await.err().unwrap();
    assert_eq!(error.code(), "store.unavailable");
    assert!(!error.to_string().contains("s3cret-Pa55"), "{error}");
}

#[tokio::test]
async fn a_missing_database_is_unavailable_and_the_password_not_repeated() {
    let mut config = cluster_config();
    config.password("s3cret-Pa55").dbname("gerbang_test_does_not_exist");
    let error = PostgresStore::connect_with(config).await.err().unwrap();
    assert_eq!(error.code(), "store.unavailable");
    assert!(!error.to_string().contains("s3cret-Pa55"), "{error}");
}

#[tokio::test]
async fn the_description_names_the_database_but_not_the_password() {
    with_fresh_store(|store| async move {
        let described = store.describe();
        assert!(described.starts_with("postgres "), "{described}");
        assert!(described.contains("gerbang_test_"), "{described}");
    })
    .await;
    let mut config = Config::new();
    config.host("db.example").port(5433).user("gerbang").password("s3cret-Pa55").dbname("gerbang");
    let described = location(&config);
    assert_eq!(described, "db.example:5433/gerbang user=gerbang");
}

/// Quota charges commit without waiting for the disk; everything else
/// (audit records above all) keeps the server's setting.
#[tokio::test]
async fn only_quota_connections_skip_the_flush_wait() {
    let database = TestDatabase::create().await;
    let store = PostgresStore::connect_with(database.config()).await.unwrap();
    let setting = |client: Client| async move {
        let row = client
            .query_one("select setting, source from pg_settings where name = 'synchronous_commit'", &[])
            .await
            .unwrap();
        (row.get::<_, String>(0), row.get::<_, String>(1))
    };
    let quota = setting(store.quota_client().await.unwrap()).await;
    let main = setting(store.client().await.unwrap()).await;
    drop(store);
    database.drop_now().await;
    assert_eq!(quota, ("off".to_owned(), "client".to_owned()));
    assert_ne!(main.1, "client", "audit and control-plane connections keep the server's durability");
}
