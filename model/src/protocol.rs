//! The automerge-repo network protocol (version "1") as plain values: one
//! [`WireMessage`] per WebSocket binary frame, CBOR-encoded maps keyed by
//! camelCase field names, exactly as `@automerge/automerge-repo` and samod
//! speak it.
//!
//! Decoding never panics: a malformed frame is a [`DecodeError`]. Message
//! types this client does not use (ephemeral messages, remote-heads gossip)
//! decode to [`WireMessage::Other`] so a newer server cannot break an older
//! tablet.
//!
//! One message is Shiftbook's own: [`WireMessage::Register`]
//! (`"type": "shiftbook/register"`), by which a client names the purposes
//! of the derived-id documents it is about to sync, so the server can
//! derive their ids from the *authenticated* site's key and know whose
//! they are before any content arrives (ARCHITECTURE invariant 5). Other
//! automerge-repo peers never send it and ignore it.

use crate::ids::DocumentId;
use minicbor::data::Type;
use std::fmt;

/// The only protocol version this crate speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// Upper bound on identifier lengths accepted from the wire, so a hostile
/// frame cannot make us hold arbitrarily large ids.
const MAX_ID_LEN: usize = 256;

/// The `type` of [`WireMessage::Register`].
pub const REGISTER_TYPE: &str = "shiftbook/register";

/// Most purposes one [`WireMessage::Register`] may carry; a client with
/// more sends several messages.
pub const MAX_PURPOSES_PER_MESSAGE: usize = 256;

/// Longest purpose accepted (`checklist/3/<template>/<date>` is ~50).
pub const MAX_PURPOSE_LEN: usize = 200;

/// Whether `purpose` is a well-formed document purpose: 1–200 ASCII
/// letters, digits and `/ - _ . :`. Every purpose the model derives ids
/// from is of this form; anything else is refused by the server.
pub fn is_purpose(purpose: &str) -> bool {
    !purpose.is_empty()
        && purpose.len() <= MAX_PURPOSE_LEN
        && purpose
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b':'))
}

/// A peer's self-chosen identity on one connection.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(String);

impl PeerId {
    /// A peer id from a string; empty or over-long ids are refused.
    pub fn new(id: impl Into<String>) -> Result<Self, DecodeError> {
        let id = id.into();
        if id.is_empty() || id.len() > MAX_ID_LEN {
            return Err(DecodeError::BadPeerId);
        }
        Ok(Self(id))
    }

    /// A fresh peer id for one app session, from random bytes the caller drew.
    pub fn from_random(bytes: [u8; 8]) -> Self {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self(format!("shiftbook-{hex}"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PeerId({})", self.0)
    }
}

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireMessage {
    /// Handshake, sent by the connecting side.
    Join {
        /// Who is joining.
        sender_id: PeerId,
        /// Protocol versions the sender speaks.
        supported_protocol_versions: Vec<String>,
        /// Whether the sender forgets everything when it goes away.
        is_ephemeral: bool,
    },
    /// Handshake answer, sent by the accepting side.
    Peer {
        /// The accepting peer.
        sender_id: PeerId,
        /// The peer that sent `join`.
        target_id: PeerId,
        /// The version both sides will speak.
        selected_protocol_version: String,
    },
    /// The sender is about to disconnect.
    Leave {
        /// Who is leaving.
        sender_id: PeerId,
    },
    /// "I want this document": an automerge sync message from a peer that
    /// has no content for it yet.
    Request {
        /// The document.
        document_id: DocumentId,
        /// Sender.
        sender_id: PeerId,
        /// Receiver.
        target_id: PeerId,
        /// An encoded `automerge::sync::Message`.
        data: Vec<u8>,
    },
    /// An automerge sync message about a document both sides may hold.
    Sync {
        /// The document.
        document_id: DocumentId,
        /// Sender.
        sender_id: PeerId,
        /// Receiver.
        target_id: PeerId,
        /// An encoded `automerge::sync::Message`.
        data: Vec<u8>,
    },
    /// The sender does not have the document, or will not share it.
    DocUnavailable {
        /// The document.
        document_id: DocumentId,
        /// Sender.
        sender_id: PeerId,
        /// Receiver.
        target_id: PeerId,
    },
    /// The other side reports a protocol error and will close.
    Error {
        /// Its explanation.
        message: String,
    },
    /// Shiftbook's own: "these are the purposes of derived documents I am
    /// about to sync" (see the module docs). `site` names the site whose
    /// key derives the ids when the sender may act for several (a
    /// supervisor); a device's own site is implied.
    Register {
        /// Sender.
        sender_id: PeerId,
        /// Receiver.
        target_id: PeerId,
        /// The site the purposes belong to, for senders of several sites.
        site: Option<String>,
        /// The purposes, each [`is_purpose`].
        purposes: Vec<String>,
    },
    /// A well-formed message of a type this client does not act on.
    Other {
        /// The message's `type` field.
        kind: String,
    },
}

/// Why a frame could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// Not CBOR, or not the shape of a protocol message.
    #[error("malformed protocol frame: {0}")]
    Malformed(String),
    /// A required field is absent.
    #[error("protocol message lacks field `{0}`")]
    MissingField(&'static str),
    /// The `documentId` is not a valid automerge document id.
    #[error("invalid document id in protocol message")]
    BadDocumentId,
    /// A peer id is empty or too long.
    #[error("invalid peer id in protocol message")]
    BadPeerId,
    /// A `register` message names too many purposes or a malformed one.
    #[error("invalid purpose in register message")]
    BadPurpose,
}

impl From<minicbor::decode::Error> for DecodeError {
    fn from(e: minicbor::decode::Error) -> Self {
        Self::Malformed(e.to_string())
    }
}

/// Fields of a message map, gathered before the message is built.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    sender_id: Option<String>,
    target_id: Option<String>,
    selected_protocol_version: Option<String>,
    message: Option<String>,
    document_id: Option<DocIdField>,
    supported_protocol_versions: Option<Vec<String>>,
    data: Option<Vec<u8>>,
    is_ephemeral: bool,
    site: Option<String>,
    purposes: Option<Vec<String>>,
}

enum DocIdField {
    Text(String),
    Bytes(Vec<u8>),
}

impl WireMessage {
    /// The message's kind, as logs and tests name it (`register` for
    /// Shiftbook's own registration, `other` for a type this side does not
    /// act on).
    pub fn kind(&self) -> &'static str {
        match self {
            WireMessage::Join { .. } => "join",
            WireMessage::Peer { .. } => "peer",
            WireMessage::Leave { .. } => "leave",
            WireMessage::Request { .. } => "request",
            WireMessage::Sync { .. } => "sync",
            WireMessage::DocUnavailable { .. } => "doc-unavailable",
            WireMessage::Register { .. } => "register",
            WireMessage::Error { .. } => "error",
            WireMessage::Other { .. } => "other",
        }
    }

    /// Decode one frame.
    pub fn decode(frame: &[u8]) -> Result<Self, DecodeError> {
        let mut d = minicbor::Decoder::new(frame);
        let len = d
            .map()?
            .ok_or_else(|| DecodeError::Malformed("indefinite-length map".into()))?;
        let mut f = Fields::default();
        for _ in 0..len {
            let key = d.str()?;
            match key {
                "type" => f.kind = Some(d.str()?.to_owned()),
                "senderId" => f.sender_id = Some(d.str()?.to_owned()),
                "targetId" => f.target_id = Some(d.str()?.to_owned()),
                "selectedProtocolVersion" => {
                    f.selected_protocol_version = Some(d.str()?.to_owned())
                }
                "message" => f.message = Some(d.str()?.to_owned()),
                "documentId" => {
                    f.document_id = Some(if d.datatype()? == Type::Bytes {
                        DocIdField::Bytes(d.bytes()?.to_vec())
                    } else {
                        DocIdField::Text(d.str()?.to_owned())
                    })
                }
                "supportedProtocolVersions" => {
                    let n = d
                        .array()?
                        .ok_or_else(|| DecodeError::Malformed("indefinite-length array".into()))?;
                    let mut versions = Vec::new();
                    for _ in 0..n {
                        versions.push(d.str()?.to_owned());
                    }
                    f.supported_protocol_versions = Some(versions);
                }
                "data" => f.data = Some(d.bytes()?.to_vec()),
                "site" => f.site = Some(d.str()?.to_owned()),
                "purposes" => {
                    let n = d
                        .array()?
                        .ok_or_else(|| DecodeError::Malformed("indefinite-length array".into()))?;
                    if n > MAX_PURPOSES_PER_MESSAGE as u64 {
                        return Err(DecodeError::BadPurpose);
                    }
                    let mut purposes = Vec::new();
                    for _ in 0..n {
                        let p = d.str()?;
                        if !is_purpose(p) {
                            return Err(DecodeError::BadPurpose);
                        }
                        purposes.push(p.to_owned());
                    }
                    f.purposes = Some(purposes);
                }
                "peerMetadata" | "metadata" if d.datatype()? == Type::Map => {
                    f.is_ephemeral = decode_is_ephemeral(&mut d)?;
                }
                _ => d.skip()?,
            }
        }
        f.into_message()
    }

    /// Encode as one frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        // Writing into a Vec cannot fail, so the results carry no information.
        let _ = self.encode_into(&mut e);
        e.into_writer()
    }

    fn encode_into(
        &self,
        e: &mut minicbor::Encoder<Vec<u8>>,
    ) -> Result<(), minicbor::encode::Error<std::convert::Infallible>> {
        match self {
            Self::Join {
                sender_id,
                supported_protocol_versions,
                is_ephemeral,
            } => {
                e.map(4)?;
                e.str("type")?.str("join")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("supportedProtocolVersions")?
                    .array(supported_protocol_versions.len() as u64)?;
                for v in supported_protocol_versions {
                    e.str(v)?;
                }
                e.str("peerMetadata")?.map(1)?;
                e.str("isEphemeral")?.bool(*is_ephemeral)?;
            }
            Self::Peer {
                sender_id,
                target_id,
                selected_protocol_version,
            } => {
                e.map(4)?;
                e.str("type")?.str("peer")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("selectedProtocolVersion")?
                    .str(selected_protocol_version)?;
            }
            Self::Leave { sender_id } => {
                e.map(2)?;
                e.str("type")?.str("leave")?;
                e.str("senderId")?.str(sender_id.as_str())?;
            }
            Self::Request {
                document_id,
                sender_id,
                target_id,
                data,
            }
            | Self::Sync {
                document_id,
                sender_id,
                target_id,
                data,
            } => {
                let kind = if matches!(self, Self::Request { .. }) {
                    "request"
                } else {
                    "sync"
                };
                e.map(5)?;
                e.str("type")?.str(kind)?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("data")?.bytes(data)?;
            }
            Self::DocUnavailable {
                document_id,
                sender_id,
                target_id,
            } => {
                e.map(4)?;
                e.str("type")?.str("doc-unavailable")?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
            }
            Self::Register {
                sender_id,
                target_id,
                site,
                purposes,
            } => {
                e.map(if site.is_some() { 5 } else { 4 })?;
                e.str("type")?.str(REGISTER_TYPE)?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                if let Some(site) = site {
                    e.str("site")?.str(site)?;
                }
                e.str("purposes")?.array(purposes.len() as u64)?;
                for p in purposes {
                    e.str(p)?;
                }
            }
            Self::Error { message } => {
                e.map(2)?;
                e.str("type")?.str("error")?;
                e.str("message")?.str(message)?;
            }
            Self::Other { kind } => {
                e.map(1)?;
                e.str("type")?.str(kind)?;
            }
        }
        Ok(())
    }
}

fn decode_is_ephemeral(d: &mut minicbor::Decoder<'_>) -> Result<bool, DecodeError> {
    let len = d
        .map()?
        .ok_or_else(|| DecodeError::Malformed("indefinite-length map".into()))?;
    let mut is_ephemeral = false;
    for _ in 0..len {
        if d.datatype()? == Type::String && d.str()? == "isEphemeral" {
            if d.datatype()? == Type::Bool {
                is_ephemeral = d.bool()?;
            } else {
                d.skip()?;
            }
        } else {
            d.skip()?;
        }
    }
    Ok(is_ephemeral)
}

impl Fields {
    fn peer(value: Option<String>, name: &'static str) -> Result<PeerId, DecodeError> {
        PeerId::new(value.ok_or(DecodeError::MissingField(name))?)
    }

    fn document_id(&mut self) -> Result<DocumentId, DecodeError> {
        match self
            .document_id
            .take()
            .ok_or(DecodeError::MissingField("documentId"))?
        {
            DocIdField::Text(s) => s.parse().map_err(|_| DecodeError::BadDocumentId),
            DocIdField::Bytes(b) => {
                DocumentId::from_bytes(&b).map_err(|_| DecodeError::BadDocumentId)
            }
        }
    }

    fn into_message(mut self) -> Result<WireMessage, DecodeError> {
        let kind = self.kind.take().ok_or(DecodeError::MissingField("type"))?;
        Ok(match kind.as_str() {
            "join" => WireMessage::Join {
                sender_id: Self::peer(self.sender_id, "senderId")?,
                supported_protocol_versions: self
                    .supported_protocol_versions
                    .ok_or(DecodeError::MissingField("supportedProtocolVersions"))?,
                is_ephemeral: self.is_ephemeral,
            },
            "peer" => WireMessage::Peer {
                sender_id: Self::peer(self.sender_id, "senderId")?,
                target_id: Self::peer(self.target_id, "targetId")?,
                selected_protocol_version: self
                    .selected_protocol_version
                    .ok_or(DecodeError::MissingField("selectedProtocolVersion"))?,
            },
            "leave" => WireMessage::Leave {
                sender_id: Self::peer(self.sender_id, "senderId")?,
            },
            "request" | "sync" => {
                let document_id = self.document_id()?;
                let sender_id = Self::peer(self.sender_id, "senderId")?;
                let target_id = Self::peer(self.target_id, "targetId")?;
                let data = self.data.ok_or(DecodeError::MissingField("data"))?;
                if kind == "request" {
                    WireMessage::Request {
                        document_id,
                        sender_id,
                        target_id,
                        data,
                    }
                } else {
                    WireMessage::Sync {
                        document_id,
                        sender_id,
                        target_id,
                        data,
                    }
                }
            }
            "doc-unavailable" => WireMessage::DocUnavailable {
                document_id: self.document_id()?,
                sender_id: Self::peer(self.sender_id, "senderId")?,
                target_id: Self::peer(self.target_id, "targetId")?,
            },
            "error" => WireMessage::Error {
                message: self.message.unwrap_or_default(),
            },
            REGISTER_TYPE => WireMessage::Register {
                sender_id: Self::peer(self.sender_id, "senderId")?,
                target_id: Self::peer(self.target_id, "targetId")?,
                site: self.site,
                purposes: self.purposes.ok_or(DecodeError::MissingField("purposes"))?,
            },
            _ => WireMessage::Other { kind },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn peer(s: &str) -> PeerId {
        PeerId::new(s).unwrap()
    }

    #[test]
    fn every_message_round_trips() {
        let doc = DocumentId::from_bytes(&[7; 16]).unwrap();
        let messages = vec![
            WireMessage::Join {
                sender_id: peer("tablet-1"),
                supported_protocol_versions: vec!["1".into()],
                is_ephemeral: false,
            },
            WireMessage::Peer {
                sender_id: peer("server"),
                target_id: peer("tablet-1"),
                selected_protocol_version: "1".into(),
            },
            WireMessage::Leave {
                sender_id: peer("tablet-1"),
            },
            WireMessage::Request {
                document_id: doc,
                sender_id: peer("a"),
                target_id: peer("b"),
                data: vec![1, 2, 3],
            },
            WireMessage::Sync {
                document_id: doc,
                sender_id: peer("a"),
                target_id: peer("b"),
                data: vec![],
            },
            WireMessage::DocUnavailable {
                document_id: doc,
                sender_id: peer("a"),
                target_id: peer("b"),
            },
            WireMessage::Error {
                message: "bad".into(),
            },
            WireMessage::Register {
                sender_id: peer("a"),
                target_id: peer("b"),
                site: None,
                purposes: vec![
                    "checklist/3/lobby-opening/2026-11-23".into(),
                    "roster".into(),
                ],
            },
            WireMessage::Register {
                sender_id: peer("a"),
                target_id: peer("b"),
                site: Some("demo".into()),
                purposes: vec![],
            },
            WireMessage::Other {
                kind: "ephemeral".into(),
            },
        ];
        for m in messages {
            assert_eq!(WireMessage::decode(&m.encode()).unwrap(), m);
        }
    }

    #[test]
    fn a_message_without_type_is_an_error() {
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(1).unwrap().str("senderId").unwrap().str("x").unwrap();
        assert_eq!(
            WireMessage::decode(&e.into_writer()),
            Err(DecodeError::MissingField("type"))
        );
    }

    #[test]
    fn a_bad_document_id_is_an_error() {
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(5).unwrap();
        e.str("type").unwrap().str("sync").unwrap();
        e.str("documentId").unwrap().str("not-an-id").unwrap();
        e.str("senderId").unwrap().str("a").unwrap();
        e.str("targetId").unwrap().str("b").unwrap();
        e.str("data").unwrap().bytes(&[]).unwrap();
        assert_eq!(
            WireMessage::decode(&e.into_writer()),
            Err(DecodeError::BadDocumentId)
        );
    }

    #[test]
    fn a_register_with_a_malformed_or_too_many_purposes_is_an_error() {
        let frame = |purposes: &[&str]| {
            let mut e = minicbor::Encoder::new(Vec::new());
            e.map(4).unwrap();
            e.str("type").unwrap().str(REGISTER_TYPE).unwrap();
            e.str("senderId").unwrap().str("a").unwrap();
            e.str("targetId").unwrap().str("b").unwrap();
            e.str("purposes")
                .unwrap()
                .array(purposes.len() as u64)
                .unwrap();
            for p in purposes {
                e.str(p).unwrap();
            }
            e.into_writer()
        };
        assert!(WireMessage::decode(&frame(&["duty-log/2026-11-23"])).is_ok());
        for bad in ["", "a b", "日志", &"x".repeat(MAX_PURPOSE_LEN + 1)] {
            assert_eq!(
                WireMessage::decode(&frame(&[bad])),
                Err(DecodeError::BadPurpose),
                "{bad:?}"
            );
        }
        let many: Vec<String> = (0..=MAX_PURPOSES_PER_MESSAGE)
            .map(|i| format!("p{i}"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            WireMessage::decode(&frame(&many)),
            Err(DecodeError::BadPurpose)
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = WireMessage::decode(&bytes);
        }
    }
}
