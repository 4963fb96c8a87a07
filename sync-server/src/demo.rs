//! The demo site that `serve --demo` sets up on first start — two tablets,
//! a supervisor login, a roster of four people with PINs, the show flat's
//! item list and its keys on the key register, held by the show-flat
//! receptionist — and the enrolment links the commands print.
//!
//! The roster, the show flat's item list and the key register are
//! derived-id documents; [`prepare`] writes them into the document store
//! ([`crate::doc_store`]) *before* the server starts, so the server then
//! serves them like any document a supervisor uploaded.

use crate::doc_store::{DocStore, DocStoreError};
use crate::password::{self, PasswordError};
use crate::store::{Device, Site, Store, StoreError, now_ms};
use crate::token::{DeviceToken, RandomError, random_bytes};
use automerge::{ActorId, Automerge};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::key_register::{self, Holder, NewKey};
use shiftbook_model::roster::{self, PinHash, Role, StaffMember};
use shiftbook_model::show_flat;
use shiftbook_model::{DocumentId, ModelError};
use std::fmt;
use std::path::Path;

/// The demo site's id.
pub const DEMO_SITE: &str = "demo";
/// The demo site's display name.
pub const DEMO_SITE_NAME: &str = "演示物业 · 世纪花园";
/// The tablets enrolled with the demo site.
pub const DEMO_DEVICES: [&str; 2] = ["大堂平板1", "大堂平板2"];
/// The demo supervisor's user name.
pub const DEMO_SUPERVISOR: &str = "zhuguan";
/// Length of the demo supervisor's random password.
pub const DEMO_PASSWORD_CHARS: usize = 12;
/// 32 unambiguous characters (no `l`, `o`, `0`, `1`): a byte modulo 32
/// picks one without bias, so each gives 5 random bits.
const PASSWORD_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// One person on the demo roster. Demo data: the PINs are public.
#[derive(Debug, Clone, Copy)]
pub struct DemoPerson {
    /// Roster id.
    pub id: &'static str,
    /// Name shown.
    pub name: &'static str,
    /// Role.
    pub role: Role,
    /// Posts worked.
    pub posts: &'static [&'static str],
    /// PIN, printed in the demo output.
    pub pin: &'static str,
}

/// The people the demo roster starts with.
pub const DEMO_PEOPLE: [DemoPerson; 6] = [
    DemoPerson {
        id: "zhang",
        name: "张伟",
        role: Role::Staff,
        posts: &["lobby"],
        pin: "1234",
    },
    DemoPerson {
        id: "wang",
        name: "王芳",
        role: Role::Staff,
        posts: &["show-flat"],
        pin: "2345",
    },
    DemoPerson {
        id: "li",
        name: "李娜",
        role: Role::Leader,
        posts: &["lobby"],
        pin: "2468",
    },
    DemoPerson {
        id: "liu",
        name: "刘洋",
        role: Role::Staff,
        posts: &["customer-service", "lobby"],
        pin: "4680",
    },
    DemoPerson {
        id: "chen",
        name: "陈刚",
        role: Role::Staff,
        posts: &["security"],
        pin: "3579",
    },
    DemoPerson {
        id: "zhao",
        name: "赵主管",
        role: Role::Supervisor,
        posts: &[],
        pin: "1357",
    },
];

/// The demo flat's keys on the key register: (id, label, lock), all held
/// by the show-flat receptionist [`DEMO_KEY_HOLDER`]. Two keys of the
/// front door share a lock.
pub const DEMO_KEYS: [(&str, &str, &str); 4] = [
    ("demo-front-1", "A户型 入户门 #1", "demo-front-door"),
    ("demo-front-2", "A户型 入户门 #2", "demo-front-door"),
    ("demo-back-1", "A户型 后门", "demo-back-door"),
    ("demo-cabinet-1", "A户型 主卧衣柜", "demo-bedroom-cabinet"),
];

/// The roster id of the demo's show-flat receptionist (王芳).
pub const DEMO_KEY_HOLDER: &str = "wang";

/// Why the demo could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No random bytes.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// The supervisor password could not be hashed.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// Building the roster failed.
    #[error("building the demo roster: {0}")]
    Model(Box<ModelError>),
    /// Document storage failed.
    #[error(transparent)]
    Storage(#[from] DocStoreError),
    /// A blocking task failed.
    #[error("background task failed: {0}")]
    Task(String),
}

impl From<ModelError> for DemoError {
    fn from(e: ModelError) -> Self {
        Self::Model(Box::new(e))
    }
}

/// The demo supervisor's login, created with the site.
pub struct DemoSupervisor {
    /// User name.
    pub name: String,
    /// The random password, printed once.
    pub password: String,
}

impl fmt::Debug for DemoSupervisor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DemoSupervisor({}, password …)", self.name)
    }
}

/// What `ensure_demo` found or did.
#[derive(Debug)]
pub enum DemoSetup {
    /// The site was created now, with these devices and their tokens.
    Created {
        /// The new site.
        site: Site,
        /// Its devices and their one-time tokens.
        devices: Vec<(Device, DeviceToken)>,
        /// The demo supervisor and its one-time password.
        supervisor: DemoSupervisor,
    },
    /// The site existed already; nothing was changed.
    Exists {
        /// The existing site.
        site: Site,
    },
}

impl DemoSetup {
    /// The demo site.
    pub fn site(&self) -> &Site {
        match self {
            Self::Created { site, .. } | Self::Exists { site } => site,
        }
    }
}

/// What [`prepare`] did.
#[derive(Debug)]
pub struct DemoStart {
    /// The site, created now or found.
    pub setup: DemoSetup,
    /// The roster's id if [`prepare`] wrote it now.
    pub roster_seeded: Option<DocumentId>,
}

/// Create the demo site, its tablets and its supervisor unless the site
/// exists.
pub fn ensure_demo(store: &Store) -> Result<DemoSetup, DemoError> {
    if let Some(site) = store.site(DEMO_SITE)? {
        return Ok(DemoSetup::Exists { site });
    }
    let mut devices = Vec::new();
    let mut site = None;
    for name in DEMO_DEVICES {
        let e = store.enroll(DEMO_SITE, DEMO_SITE_NAME, name)?;
        site = Some(e.site);
        devices.push((e.device, e.token));
    }
    let Some(site) = site else {
        // DEMO_DEVICES is not empty, so the loop ran.
        return Err(StoreError::NoSuchDevice(DEMO_DEVICES.join(", ")).into());
    };
    let secret = random_password()?;
    let phc = password::hash(&secret)?;
    store.add_supervisor(DEMO_SUPERVISOR, &phc, &[DEMO_SITE.to_owned()])?;
    Ok(DemoSetup::Created {
        site,
        devices,
        supervisor: DemoSupervisor {
            name: DEMO_SUPERVISOR.to_owned(),
            password: secret,
        },
    })
}

/// Set up the demo in `data_dir` before the server starts: [`ensure_demo`],
/// then seed the roster, the show flat's item list and (when the site is
/// created) its key register into the document store if nothing is
/// stored for them yet — normally only on the first start; also if an
/// earlier start stopped between creating the site and writing them. A
/// document already stored is never touched.
pub async fn prepare(data_dir: &Path) -> Result<DemoStart, DemoError> {
    prepare_with(data_dir, roster::PIN_ITERATIONS).await
}

async fn prepare_with(data_dir: &Path, pin_iterations: u32) -> Result<DemoStart, DemoError> {
    let dir = data_dir.to_path_buf();
    let store = tokio::task::spawn_blocking(move || Store::open(&dir))
        .await
        .map_err(|e| DemoError::Task(e.to_string()))??;
    let setup = {
        let store = store.clone();
        blocking(move || ensure_demo(&store)).await?
    };
    let site = setup.site().clone();
    let created = matches!(setup, DemoSetup::Created { .. });
    let dir = data_dir.to_path_buf();
    blocking(move || {
        let mut docs = DocStore::open(&dir)?;
        // The flat's keys, registered once when the site is created. The
        // register is an ordinary record, owned by the demo site from the
        // start so a supervisor's desktop reads it at once.
        let keys = key_register::document_id(&site.key);
        if created && !is_stored(&docs, &keys)? {
            docs.put_content(&keys, &demo_key_register(&site.id, now_ms())?)?;
            docs.claim_for_site(&keys, &site.id)?;
            tracing::info!(doc = %keys, "seeded the demo key register");
        }
        // The show flat's item list (《样板房物品清点记录表》), like the
        // roster: written once, never touched again.
        let inventory = show_flat::inventory_document_id(&site.key);
        if !is_stored(&docs, &inventory)? {
            docs.put_content(&inventory, &demo_inventory(&site.id, now_ms())?)?;
            tracing::info!(doc = %inventory, "seeded the demo show flat");
        }
        let id = roster::document_id(&site.key);
        if is_stored(&docs, &id)? {
            return Ok(DemoStart {
                setup,
                roster_seeded: None,
            });
        }
        docs.put_content(&id, &demo_roster(&site.id, pin_iterations, now_ms())?)?;
        tracing::info!(doc = %id, "seeded the demo roster");
        Ok(DemoStart {
            setup,
            roster_seeded: Some(id),
        })
    })
    .await
}

/// Whether anything is stored for `id`.
fn is_stored(docs: &DocStore, id: &DocumentId) -> Result<bool, DemoError> {
    Ok(!docs.load(id)?.doc.get_heads().is_empty())
}

/// The demo site's inventory: the built-in demo flat, put by the server.
pub fn demo_inventory(site: &str, at_ms: i64) -> Result<Automerge, DemoError> {
    let mut doc = show_flat::inventory_genesis(site)?;
    let actor: [u8; 16] = random_bytes()?;
    doc.set_actor(ActorId::from(actor.as_slice()));
    show_flat::put_flat(
        &mut doc,
        &show_flat::demo_flat(),
        &server_attribution(at_ms),
    )?;
    Ok(doc)
}

/// The demo site's key register: [`DEMO_KEYS`] of the demo flat, held by
/// the receptionist, registered by the server.
pub fn demo_key_register(site: &str, at_ms: i64) -> Result<Automerge, DemoError> {
    let mut doc = key_register::genesis(site)?;
    let actor: [u8; 16] = random_bytes()?;
    doc.set_actor(ActorId::from(actor.as_slice()));
    let holder = DEMO_PEOPLE
        .iter()
        .find(|p| p.id == DEMO_KEY_HOLDER)
        .map_or_else(
            || Holder::person(DEMO_KEY_HOLDER, DEMO_KEY_HOLDER),
            |p| Holder::person(p.id, p.name),
        );
    let by = server_attribution(at_ms);
    for (id, label, lock) in DEMO_KEYS {
        let key = NewKey {
            id: id.to_owned(),
            label: label.to_owned(),
            flat: Some(show_flat::DEMO_FLAT_ID.to_owned()),
            lock: lock.to_owned(),
            holder: holder.clone(),
        };
        key_register::register(&mut doc, &key, &by)?;
    }
    Ok(doc)
}

/// Who the server's own demo changes are attributed to.
fn server_attribution(at_ms: i64) -> Attribution {
    Attribution {
        person_id: "server".to_owned(),
        person: "系统".to_owned(),
        role: Role::Supervisor,
        device: "sync-server".to_owned(),
        at_ms,
    }
}

async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, DemoError> + Send + 'static,
) -> Result<R, DemoError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DemoError::Task(e.to_string()))?
}

/// The demo roster of `site`: genesis, then [`DEMO_PEOPLE`] put by the
/// server, with a fresh random actor and random PIN salts.
pub fn demo_roster(site: &str, pin_iterations: u32, at_ms: i64) -> Result<Automerge, DemoError> {
    let mut doc = roster::genesis(site)?;
    // Genesis uses a fixed actor; never write anything else with it.
    let actor: [u8; 16] = random_bytes()?;
    doc.set_actor(ActorId::from(actor.as_slice()));
    let by = server_attribution(at_ms);
    // PBKDF2 at the product's iteration count is slow by design: hash the
    // PINs on one thread each.
    let hashes = std::thread::scope(|scope| {
        let jobs: Vec<_> = DEMO_PEOPLE
            .iter()
            .map(|p| {
                scope.spawn(move || -> Result<PinHash, DemoError> {
                    Ok(PinHash::new(p.pin, random_bytes()?, pin_iterations)?)
                })
            })
            .collect();
        jobs.into_iter()
            .map(|job| {
                job.join()
                    .map_err(|_| DemoError::Task("hashing a PIN panicked".to_owned()))?
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    for (p, pin) in DEMO_PEOPLE.iter().zip(hashes) {
        let member = StaffMember {
            id: p.id.to_owned(),
            name: p.name.to_owned(),
            role: p.role,
            posts: p.posts.iter().map(|s| (*s).to_owned()).collect(),
            pin: Some(pin),
            active: true,
        };
        roster::put_member(&mut doc, &member, &by)?;
    }
    Ok(doc)
}

/// A random password of [`DEMO_PASSWORD_CHARS`] characters.
fn random_password() -> Result<String, RandomError> {
    let bytes: [u8; DEMO_PASSWORD_CHARS] = random_bytes()?;
    Ok(bytes
        .iter()
        .map(|b| char::from(PASSWORD_ALPHABET[usize::from(b % 32)]))
        .collect())
}

/// The link that enrols a tablet: the app reads the token from the
/// fragment, which browsers never send to a server or log.
pub fn enrolment_link(base_url: &str, token: &DeviceToken) -> String {
    format!(
        "{}/enroll#token={}",
        base_url.trim_end_matches('/'),
        token.reveal()
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use roster::{Roster, SignIn};

    #[test]
    fn the_demo_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let DemoSetup::Created {
            site,
            devices,
            supervisor,
        } = ensure_demo(&store).unwrap()
        else {
            panic!("expected creation");
        };
        assert_eq!(site.name, DEMO_SITE_NAME);
        let names: Vec<&str> = devices.iter().map(|(d, _)| d.name.as_str()).collect();
        assert_eq!(names, DEMO_DEVICES);
        assert_eq!(supervisor.name, DEMO_SUPERVISOR);
        assert_eq!(supervisor.password.chars().count(), DEMO_PASSWORD_CHARS);
        let phc = store.supervisor_password(DEMO_SUPERVISOR).unwrap().unwrap();
        assert!(password::verify(&supervisor.password, &phc));
        assert!(matches!(
            ensure_demo(&store).unwrap(),
            DemoSetup::Exists { .. }
        ));
        let link = enrolment_link("http://127.0.0.1:8080/", &devices[0].1);
        assert_eq!(
            link,
            format!(
                "http://127.0.0.1:8080/enroll#token={}",
                devices[0].1.reveal()
            )
        );
    }

    #[test]
    fn the_demo_roster_holds_the_people_with_their_pins() {
        let doc = demo_roster(DEMO_SITE, 1_000, 1_700_000_000_000).unwrap();
        let r = Roster::new(&doc).unwrap();
        assert_eq!(r.site().unwrap(), DEMO_SITE);
        assert_eq!(r.members().unwrap().len(), DEMO_PEOPLE.len());
        for p in DEMO_PEOPLE {
            let SignIn::Ok(m) = r.verify_pin(p.id, p.pin).unwrap() else {
                panic!("{} cannot sign in", p.id);
            };
            assert_eq!((m.name.as_str(), m.role), (p.name, p.role));
            assert_eq!(m.posts, p.posts);
            assert_eq!(r.verify_pin(p.id, "9999").unwrap(), SignIn::WrongPin);
        }
        // Only the first change is genesis's; the rest are the server's.
        let genesis = roster::genesis(DEMO_SITE).unwrap();
        assert_eq!(
            doc.get_changes(&[]).first().map(|c| c.hash()),
            genesis.get_heads().first().copied()
        );
        let actors: std::collections::HashSet<_> = doc
            .get_changes(&[])
            .iter()
            .skip(1)
            .map(|c| c.actor_id().clone())
            .collect();
        assert_eq!(actors.len(), 1);
        assert!(!actors.contains(genesis.get_actor()));
    }

    /// The seeded roster, show-flat item list and key register load from
    /// the document store under their derived ids, owned by the demo site;
    /// a second prepare writes nothing.
    #[tokio::test]
    async fn the_seeded_documents_load_and_a_restart_does_not_reseed() {
        let dir = tempfile::tempdir().unwrap();
        let first = prepare_with(dir.path(), 1_000).await.unwrap();
        let id = first.roster_seeded.expect("seeded on first start");
        let key = first.setup.site().key.clone();
        assert_eq!(id, roster::document_id(&key));
        let docs = DocStore::open(dir.path()).unwrap();
        let roster_doc = docs.load(&id).unwrap();
        assert_eq!(roster_doc.owner.unwrap().site, DEMO_SITE);
        let signed_in = Roster::new(&roster_doc.doc)
            .unwrap()
            .verify_pin("zhang", "1234")
            .unwrap();
        assert!(matches!(signed_in, SignIn::Ok(_)), "{signed_in:?}");
        let inventory = docs
            .load(&show_flat::inventory_document_id(&key))
            .unwrap()
            .doc;
        let flats = show_flat::SiteInventory::new(&inventory)
            .unwrap()
            .flats()
            .unwrap();
        assert_eq!(flats, vec![show_flat::demo_flat()]);
        // The keys, held by the receptionist, and owned by the demo site
        // from the start.
        let keys = key_register::document_id(&key);
        let stored = docs.load(&keys).unwrap();
        assert_eq!(stored.owner.unwrap().site, DEMO_SITE);
        let held: Vec<_> = key_register::KeyRegister::new(&stored.doc)
            .unwrap()
            .held_by(&Holder::person(DEMO_KEY_HOLDER, "王芳"))
            .unwrap()
            .into_iter()
            .map(|k| (k.id, k.flat))
            .collect();
        let expected: Vec<_> = DEMO_KEYS
            .iter()
            .map(|(id, ..)| ((*id).to_owned(), Some(show_flat::DEMO_FLAT_ID.to_owned())))
            .collect();
        assert_eq!(held, expected);
        let heads = |d: &DocumentId| docs.load(d).unwrap().doc.get_heads();
        let before = [heads(&id), heads(&keys)];

        let second = prepare_with(dir.path(), 1_000).await.unwrap();
        assert!(second.roster_seeded.is_none());
        assert!(matches!(second.setup, DemoSetup::Exists { .. }));
        assert_eq!([heads(&id), heads(&keys)], before);
    }
}
