//! The portal's links: one secret per reporting unit and one for the office.
//!
//! A secret is 24 random bytes from the operating system, written as 48 hex digits in the
//! link. Only its SHA-256 is kept (`DIR/portal/links.json`), so the file's copy in a backup
//! opens nothing; a link is printed once, when it is made or rotated. A presented secret is
//! hashed and compared with every stored hash in constant time.

use super::PortalError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Who a link lets in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", content = "unit", rename_all = "lowercase")]
pub enum Role {
    /// A reporting unit: its own page and files only.
    Unit(String),
    /// The office: every unit, and the build.
    Office,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    role: Role,
    sha256: String,
}

/// The stored links of one data folder.
#[derive(Debug, Default)]
pub struct Links {
    path: PathBuf,
    stored: Vec<Stored>,
}

/// A link made in this run, with its secret (shown once).
#[derive(Debug, Clone)]
pub struct Issued {
    pub role: Role,
    pub secret: String,
}

pub fn file(data: &Path) -> PathBuf {
    data.join("portal").join("links.json")
}

impl Links {
    pub fn load(data: &Path) -> Result<Links, PortalError> {
        let path = file(data);
        let stored = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| PortalError::Links {
                path: path.display().to_string(),
                detail: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(PortalError::io(&path, e)),
        };
        Ok(Links { path, stored })
    }

    /// Whether any link has been made.
    pub fn is_empty(&self) -> bool {
        self.stored.is_empty()
    }

    /// Makes a link for every role that has none yet: `units` and the office.
    pub fn ensure(&mut self, units: &[String]) -> Result<Vec<Issued>, PortalError> {
        let mut issued = Vec::new();
        let roles = std::iter::once(Role::Office).chain(units.iter().cloned().map(Role::Unit));
        for role in roles {
            if !self.stored.iter().any(|s| s.role == role) {
                issued.push(self.set(role)?);
            }
        }
        Ok(issued)
    }

    /// A new secret for `role`; the old link stops working.
    pub fn rotate(&mut self, role: Role) -> Result<Issued, PortalError> {
        self.stored.retain(|s| s.role != role);
        self.set(role)
    }

    fn set(&mut self, role: Role) -> Result<Issued, PortalError> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes).map_err(|e| PortalError::Random(e.to_string()))?;
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        self.stored.push(Stored {
            role: role.clone(),
            sha256: hash(&secret),
        });
        Ok(Issued { role, secret })
    }

    pub fn save(&self) -> Result<(), PortalError> {
        let json = serde_json::to_vec_pretty(&self.stored).map_err(|e| PortalError::Links {
            path: self.path.display().to_string(),
            detail: e.to_string(),
        })?;
        super::store::write_synced(&self.path, &json)
    }

    /// The role whose secret this is. Every stored hash is compared, in constant time, so
    /// the answer's timing says nothing about how close a guess came.
    pub fn role_of(&self, secret: &str) -> Option<&Role> {
        let presented = hash(secret);
        let mut found = None;
        for s in &self.stored {
            if constant_time_eq(s.sha256.as_bytes(), presented.as_bytes()) {
                found = Some(&s.role);
            }
        }
        found
    }
}

fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The link of a role: `BASE/u/SECRET` for a unit, `BASE/o/SECRET` for the office.
pub fn url(base: &str, issued: &Issued) -> String {
    let kind = match issued.role {
        Role::Unit(_) => "u",
        Role::Office => "o",
    };
    format!("{}/{kind}/{}", base.trim_end_matches('/'), issued.secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_made_once_kept_hashed_and_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let mut links = Links::load(dir.path()).unwrap();
        let units = vec!["水务局".to_string(), "林草局".to_string()];
        let issued = links.ensure(&units).unwrap();
        assert_eq!(issued.len(), 3);
        links.save().unwrap();
        let stored = std::fs::read_to_string(file(dir.path())).unwrap();
        for i in &issued {
            assert_eq!(i.secret.len(), 48);
            assert!(!stored.contains(&i.secret), "secrets are not stored");
        }
        let mut again = Links::load(dir.path()).unwrap();
        assert!(
            again.ensure(&units).unwrap().is_empty(),
            "made on first use only"
        );
        let water = &issued[1];
        assert_eq!(again.role_of(&water.secret), Some(&water.role));
        let mut wrong = water.secret.clone();
        wrong.replace_range(0..1, if wrong.starts_with('0') { "1" } else { "0" });
        assert_eq!(again.role_of(&wrong), None);
        let new = again.rotate(water.role.clone()).unwrap();
        assert_eq!(
            again.role_of(&water.secret),
            None,
            "the old link stops working"
        );
        assert_eq!(again.role_of(&new.secret), Some(&water.role));
        assert_eq!(
            url("http://h:1/", &new),
            format!("http://h:1/u/{}", new.secret)
        );
    }
}
