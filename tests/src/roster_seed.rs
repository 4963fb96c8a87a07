//! A site's staff roster, set up as a supervisor would: log in over HTTP,
//! connect with the session cookie, create the roster document and put
//! people with PINs into it, put the demo show flat's item list into the
//! site's inventory, and wait until the server holds both.

use crate::native_tablet::NativeTablet;
use crate::server_process::{ServerProcess, add_supervisor, http_request};
use shiftbook_model::SiteKey;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::roster::{self, PinHash, Role, StaffMember};
use shiftbook_model::show_flat;
use std::time::Duration;

/// Errors of this module.
pub type SeedError = Box<dyn std::error::Error + Send + Sync>;

/// PBKDF2 iterations for test PINs: the stored hash carries its own count,
/// so tests stay fast while the product uses [`roster::PIN_ITERATIONS`].
pub const TEST_PIN_ITERATIONS: u32 = 1_000;

/// The password of the supervisor [`seed_roster`] creates.
pub const SUPERVISOR_PASSWORD: &str = "correct horse battery staple";

/// One person to put on the roster: id, name, role, PIN, posts.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    /// Roster id.
    pub id: &'a str,
    /// Name shown.
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// PIN (4–8 digits).
    pub pin: &'a str,
    /// The posts they work (`lobby`, `customer-service`…).
    pub posts: &'a [&'a str],
}

/// Log supervisor `user` in over HTTP: the session cookie's value and the
/// server's answer (its body lists the sites with their keys).
pub async fn log_in(
    server: &ServerProcess,
    user: &str,
    password: &str,
) -> Result<(String, crate::server_process::HttpResponse), SeedError> {
    let body = serde_json::json!({ "user": user, "password": password }).to_string();
    let login = http_request(
        server.addr(),
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        Some(&body),
    )
    .await?;
    if login.status != 200 {
        return Err(format!("login failed: {} {}", login.status, login.body).into());
    }
    let cookie = login.header("set-cookie").ok_or("no session cookie")?;
    let session = cookie
        .split(';')
        .next()
        .and_then(|c| c.strip_prefix("shiftbook_session="))
        .ok_or("no session cookie")?
        .to_owned();
    Ok((session, login))
}

/// Create supervisor `user` for `site` and write `people` into the site's
/// roster through the running `server`; returns once the server confirmed it.
pub async fn seed_roster(
    server: &ServerProcess,
    site: &str,
    user: &str,
    people: &[Person<'_>],
) -> Result<(), SeedError> {
    let password = SUPERVISOR_PASSWORD;
    add_supervisor(server.data_dir(), user, &[site], password)?;
    let (session, login) = log_in(server, user, password).await?;
    let json: serde_json::Value = serde_json::from_str(&login.body)?;
    let key = json["sites"]
        .as_array()
        .and_then(|s| s.iter().find(|x| x["id"] == site))
        .and_then(|s| s["site_key"].as_str())
        .ok_or("login answer lacks the site")?;
    let key = SiteKey::from_hex(key)?;

    let sup = NativeTablet::connect_with_session(server.addr(), &session).await?;
    let id = roster::document_id(&key);
    sup.insert(id, roster::genesis(site)?)?;
    let by = Attribution {
        person_id: user.to_owned(),
        person: user.to_owned(),
        role: Role::Supervisor,
        device: "desktop".to_owned(),
        at_ms: 1,
    };
    for (n, p) in people.iter().enumerate() {
        let mut salt = [0u8; 16];
        salt[0] = n as u8;
        let member = StaffMember {
            id: p.id.to_owned(),
            name: p.name.to_owned(),
            role: p.role,
            posts: p.posts.iter().map(|&post| post.to_owned()).collect(),
            pin: Some(PinHash::new(p.pin, salt, TEST_PIN_ITERATIONS)?),
            active: true,
        };
        sup.change(id, |doc| {
            roster::put_member(doc, &member, &by).map_err(|e| e.to_string())
        })??;
    }
    // The site's show flat, as the demo has it.
    let inventory = show_flat::inventory_document_id(&key);
    sup.insert(inventory, show_flat::inventory_genesis(site)?)?;
    sup.change(inventory, |doc| {
        show_flat::put_flat(doc, &show_flat::demo_flat(), &by).map_err(|e| e.to_string())
    })??;
    if let Err(e) = sup
        .wait_until(
            "the server to confirm the roster and the show flat",
            Duration::from_secs(20),
            |c| c.unconfirmed(&id) == 0 && c.unconfirmed(&inventory) == 0,
        )
        .await
    {
        eprintln!("SERVER OUTPUT:\n{}", server.output());
        return Err(e.into());
    }
    sup.disconnect();
    Ok(())
}
