//! Test support (feature `testing`): moto, the AWS emulator from PyPI, as a server on a free
//! loopback port, and SDK configuration pointed at it.

use std::net::{Ipv4Addr, TcpListener};
use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::Credentials;
use tokio::process::{Child, Command};

/// moto's server, one request at a time. `moto_server` handles each request on its own thread,
/// and its DynamoDB is not thread-safe: two `UpdateItem … ADD` or two transactions on one item
/// racing each other could both read the old value (the race tests of the rate counter and the
/// follows failed that way about one run in three). DynamoDB itself applies each item's writes
/// in order; serving one request at a time gives moto the same guarantee. Connections still get
/// their own threads, so a client holding one open blocks nobody.
const SERIAL_MOTO: &str = r#"
import json, os, sys, threading
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
host, port = sys.argv[1], int(sys.argv[2])
os.environ.setdefault("MOTO_PORT", str(port))
app = DomainDispatcherApplication(create_backend_app)
one_at_a_time = threading.Lock()
operations = []
def serial(environ, start_response):
    with one_at_a_time:
        if environ.get("PATH_INFO") == "/_cloumer/operations":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(operations).encode()]
        target = environ.get("HTTP_X_AMZ_TARGET")
        if target:
            operations.append(target)
        return list(app(environ, start_response))
run_simple(host, port, serial, threaded=True, request_handler=MotoRequestHandler)
"#;

/// The Python that `moto_server` (on PATH) runs with: the virtual environment's own, beside it
/// (as `cargo xtask setup` installs it), or else the one its `#!` line names.
fn moto_python() -> std::path::PathBuf {
    let script = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("moto_server"))
        .find(|candidate| candidate.is_file())
        .expect("moto_server is on PATH (cargo xtask setup installs it; cargo xtask test puts it on PATH)");
    let beside = script.with_file_name("python3");
    if beside.is_file() {
        return beside;
    }
    let text = std::fs::read_to_string(&script).expect("moto_server is readable");
    let python = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("#!"))
        .map(str::trim)
        .filter(|p| p.contains("python"))
        .expect("moto_server starts with the #! line of its Python");
    std::path::PathBuf::from(python)
}

/// The region every test uses.
pub const REGION: &str = "us-east-1";

/// A running `moto_server`, stopped when dropped.
pub struct Moto {
    _process: Child,
    pub url: String,
}

impl Moto {
    /// Starts moto and waits until it accepts connections.
    pub async fn start() -> Self {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let process = Command::new(moto_python())
            .args(["-c", SERIAL_MOTO, "127.0.0.1", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("moto's Python starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "moto did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Self {
            _process: process,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// SDK configuration for moto: fixed region and dummy credentials.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(crate::http_client())
            .endpoint_url(&self.url)
            .region(aws_config::Region::new(REGION))
            .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
            .load()
            .await
    }

    /// The environment a process needs to reach moto through the standard configuration chain.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.url.clone()),
            ("AWS_REGION", REGION.to_owned()),
            ("AWS_ACCESS_KEY_ID", "test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ]
    }
}

impl Moto {
    /// The operations of JSON-protocol services (DynamoDB, Secrets Manager, …) called so far, as
    /// `X-Amz-Target` names them (`DynamoDB_20120810.UpdateItem`), in order: what a process
    /// under test asked AWS to do, to hold against the permissions Terraform grants it.
    pub async fn json_operations(&self) -> Vec<String> {
        reqwest::get(format!("{}/_cloumer/operations", self.url))
            .await
            .expect("moto answers")
            .json()
            .await
            .expect("a list of operations")
    }

    /// A new SQS queue's URL.
    pub async fn create_queue(&self, name: &str) -> String {
        aws_sdk_sqs::Client::new(&self.sdk_config().await)
            .create_queue()
            .queue_name(name)
            .send()
            .await
            .expect("moto makes the queue")
            .queue_url
            .expect("a queue URL")
    }

    /// Emails SES (moto's) took in the last day, as its send quota counts them (the v1 query API
    /// moto shares with v2, which has no such operation).
    pub async fn ses_sent_last_24_hours(&self) -> u64 {
        let quota = reqwest::Client::new()
            .post(&self.url)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=0",
            )
            .form(&[("Action", "GetSendQuota"), ("Version", "2010-12-01")])
            .send()
            .await
            .expect("moto answers")
            .text()
            .await
            .expect("a text answer");
        quota
            .split("<SentLast24Hours>")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .and_then(|n| n.trim().parse::<f64>().ok())
            .map(|n| n as u64)
            .unwrap_or_else(|| panic!("not a send quota: {quota}"))
    }
}

/// A confirmed, signed-in user of a user pool in moto.
pub struct CognitoUser {
    /// The user's id (`sub`), which the platform knows them by.
    pub sub: String,
    pub pool_id: String,
    pub client_id: String,
    pub id_token: String,
    pub access_token: String,
}

impl Moto {
    /// One call of the Cognito user-pool API (the JSON protocol the SDK and the browser speak).
    pub async fn cognito(&self, operation: &str, body: serde_json::Value) -> serde_json::Value {
        let response = reqwest::Client::new()
            .post(&self.url)
            .header(
                "X-Amz-Target",
                format!("AWSCognitoIdentityProviderService.{operation}"),
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=x")
            .body(body.to_string())
            .send()
            .await
            .expect("moto answers");
        let status = response.status();
        let value: serde_json::Value = response.json().await.expect("a JSON answer");
        assert!(status.is_success(), "{operation}: {value}");
        value
    }

    /// A new user pool with a web client, and `email` signed up, confirmed and signed in.
    pub async fn cognito_user(&self, email: &str, handle: &str, nickname: &str) -> CognitoUser {
        use serde_json::json;
        let pool = self
            .cognito(
                "CreateUserPool",
                json!({"PoolName": "cloumer", "UsernameAttributes": ["email"]}),
            )
            .await;
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        let client = self
            .cognito(
                "CreateUserPoolClient",
                json!({"UserPoolId": pool_id, "ClientName": "web",
                "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            )
            .await;
        let client_id = client["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned();
        let pool = CognitoPool { pool_id, client_id };
        self.cognito_user_in(&pool, email, handle, nickname, &[])
            .await
    }

    /// Another user of `pool` (the pool of a user [`Moto::cognito_user`] made), signed in, a
    /// member of `groups`, which are made here (one member each per pool): their tokens name
    /// them, as Cognito's do.
    pub async fn cognito_user_in(
        &self,
        pool: &CognitoPool,
        email: &str,
        handle: &str,
        nickname: &str,
        groups: &[&str],
    ) -> CognitoUser {
        use serde_json::json;
        let password = "Passw0rd!x";
        let CognitoPool { pool_id, client_id } = pool;
        let signed_up = self.cognito("SignUp", json!({"ClientId": client_id, "Username": email, "Password": password,
            "UserAttributes": [{"Name": "preferred_username", "Value": handle}, {"Name": "nickname", "Value": nickname}]}))
            .await;
        self.cognito(
            "AdminConfirmSignUp",
            json!({"UserPoolId": pool_id, "Username": email}),
        )
        .await;
        for group in groups {
            self.cognito(
                "CreateGroup",
                json!({"UserPoolId": pool_id, "GroupName": group}),
            )
            .await;
            self.cognito(
                "AdminAddUserToGroup",
                json!({"UserPoolId": pool_id, "Username": email, "GroupName": group}),
            )
            .await;
        }
        let auth = self
            .cognito(
                "InitiateAuth",
                json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                    "AuthParameters": {"USERNAME": email, "PASSWORD": password}}),
            )
            .await;
        let token = |name: &str| {
            auth["AuthenticationResult"][name]
                .as_str()
                .unwrap()
                .to_owned()
        };
        CognitoUser {
            sub: signed_up["UserSub"].as_str().unwrap().to_owned(),
            id_token: token("IdToken"),
            access_token: token("AccessToken"),
            pool_id: pool_id.clone(),
            client_id: client_id.clone(),
        }
    }
}

/// A user pool and its app client in moto.
pub struct CognitoPool {
    pub pool_id: String,
    pub client_id: String,
}

impl CognitoUser {
    /// The pool this user is in.
    pub fn pool(&self) -> CognitoPool {
        CognitoPool {
            pool_id: self.pool_id.clone(),
            client_id: self.client_id.clone(),
        }
    }
}
