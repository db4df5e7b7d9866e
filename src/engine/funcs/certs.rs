//! Private keys in PEM and X.509 certificates, as Sprig makes them with Go's crypto/x509:
//! the same key formats in and out, the same certificate layout (fields, string types,
//! extensions, their order and criticality), so a certificate from rudder reads like one
//! from `helm template` in `openssl x509 -text`. Only the random parts differ.
//!
//! The certificate is assembled from x509-cert's types (names, extensions, key infos) and
//! signed with the RustCrypto keys the rest of the library already uses. Its own
//! `TbsCertificate` cannot be used: its time type starts in 1970, and Go writes any year
//! from 0 to 9999 (a validity of 106 752 days wraps, as Go's durations do, to 1733).

use der::asn1::{Any, BitString, Ia5String, OctetString, SetOfVec, Uint};
use der::{Decode as _, Encode as _, Tag};
use minijinja::Error;
use rsa::pkcs1::{DecodeRsaPrivateKey as _, EncodeRsaPrivateKey as _};
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use sha2::Digest as _;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::spki::{
    AlgorithmIdentifierOwned, EncodePublicKey as _, ObjectIdentifier, SubjectPublicKeyInfoOwned,
};

use super::args::func_error;

/// A private key of a kind Sprig reads and writes.
pub enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    Ed25519(Box<ed25519_dalek::SigningKey>),
    /// Sprig reads and writes DSA keys but Go cannot sign a certificate with one.
    Dsa(Box<dsa::SigningKey>),
}

/// Object identifiers, checked when the crate compiles (a bad one would not build).
const fn oid(dotted: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(dotted)
}
const OID_P256: ObjectIdentifier = oid("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = oid("1.3.132.0.34");
const SHA256_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
const ECDSA_WITH_SHA256: ObjectIdentifier = oid("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = oid("1.2.840.10045.4.3.3");
const ED25519: ObjectIdentifier = oid("1.3.101.112");
const COMMON_NAME: ObjectIdentifier = oid("2.5.4.3");
const KEY_USAGE: ObjectIdentifier = oid("2.5.29.15");
const EXTENDED_KEY_USAGE: ObjectIdentifier = oid("2.5.29.37");
const BASIC_CONSTRAINTS: ObjectIdentifier = oid("2.5.29.19");
const SUBJECT_KEY_ID: ObjectIdentifier = oid("2.5.29.14");
const AUTHORITY_KEY_ID: ObjectIdentifier = oid("2.5.29.35");
const SUBJECT_ALT_NAME: ObjectIdentifier = oid("2.5.29.17");
const SERVER_AUTH: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.2");

/// The first PEM block of `text`, read as leniently as Go's `pem.Decode`: text before
/// the block is skipped, header lines (`Proc-Type: ...`) and whitespace in the body too.
pub fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    use base64::Engine as _;
    let mut lines = text.lines().skip_while(|l| !l.starts_with("-----BEGIN "));
    let label = lines
        .next()?
        .strip_prefix("-----BEGIN ")?
        .strip_suffix("-----")?;
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    for line in lines {
        if line.trim_end() == end {
            let der = base64::engine::general_purpose::STANDARD
                .decode(body)
                .ok()?;
            return Some((label.to_string(), der));
        }
        if !line.contains(':') {
            body.extend(line.chars().filter(|c| !c.is_whitespace()));
        }
    }
    None
}

/// A PEM block with 64-character lines, as Go's `pem.Encode` writes it.
pub fn pem_block(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// The DSA key layout OpenSSL and Sprig use (`DSA PRIVATE KEY`).
#[derive(der::Sequence)]
struct DsaKeyFormat {
    version: Uint,
    p: Uint,
    q: Uint,
    g: Uint,
    y: Uint,
    x: Uint,
}

fn dsa_uint(n: &dsa::BigUint) -> Result<Uint, Error> {
    Uint::new(&n.to_bytes_be()).map_err(|e| func_error(format!("cannot encode key: {e}")))
}

impl PrivateKey {
    /// Reads a key as Sprig's `parsePrivateKeyPEM` does, with its error words (which
    /// each caller prefixes with its own, as Sprig's do).
    pub fn from_pem(text: &str) -> Result<PrivateKey, String> {
        let (label, der) = pem_decode(text).ok_or("no PEM data in input")?;
        let bad = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
        if label == "PRIVATE KEY" {
            return Self::from_pkcs8(&der).map_err(|e| bad("decoding PEM as PKCS#8", &e));
        }
        let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {label}"));
        };
        match kind {
            "RSA" => rsa::RsaPrivateKey::from_pkcs1_der(&der)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|e| bad("parsing RSA private key from PEM", &e)),
            "EC" => p256::SecretKey::from_sec1_der(&der)
                .map(PrivateKey::P256)
                .or_else(|_| p384::SecretKey::from_sec1_der(&der).map(PrivateKey::P384))
                .map_err(|e| bad("parsing EC private key from PEM", &e)),
            "DSA" => {
                let k = DsaKeyFormat::from_der(&der)
                    .map_err(|e| bad("parsing DSA private key from PEM", &e))?;
                let n = |u: &Uint| dsa::BigUint::from_bytes_be(u.as_bytes());
                let key = dsa::Components::from_components(n(&k.p), n(&k.q), n(&k.g))
                    .and_then(|c| dsa::VerifyingKey::from_components(c, n(&k.y)))
                    .and_then(|v| dsa::SigningKey::from_components(v, n(&k.x)))
                    .map_err(|e| bad("parsing DSA private key from PEM", &e))?;
                Ok(PrivateKey::Dsa(Box::new(key)))
            }
            _ => Err(format!("invalid private key type {label}")),
        }
    }

    fn from_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
        let info = rsa::pkcs8::PrivateKeyInfo::try_from(der).map_err(|e| e.to_string())?;
        let oid = info.algorithm.oid.to_string();
        match oid.as_str() {
            "1.2.840.113549.1.1.1" => rsa::RsaPrivateKey::from_pkcs8_der(der)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|e| e.to_string()),
            "1.2.840.10045.2.1" => p256::SecretKey::from_pkcs8_der(der)
                .map(PrivateKey::P256)
                .or_else(|_| p384::SecretKey::from_pkcs8_der(der).map(PrivateKey::P384))
                .map_err(|_| "x509: unsupported elliptic curve".to_string()),
            "1.3.101.112" => ed25519_dalek::SigningKey::from_pkcs8_der(der)
                .map(|k| PrivateKey::Ed25519(Box::new(k)))
                .map_err(|e| e.to_string()),
            _ => Err(format!(
                "x509: PKCS#8 wrapping contained private key with unknown algorithm: {oid}"
            )),
        }
    }

    /// The key as Sprig's `pemBlockForKey` writes it: PKCS#1 for RSA, SEC1 with the
    /// named curve for ECDSA, OpenSSL's layout for DSA, PKCS#8 for Ed25519.
    pub fn pem(&self) -> Result<String, Error> {
        let failed = |e: &dyn std::fmt::Display| func_error(format!("cannot encode key: {e}"));
        match self {
            PrivateKey::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| failed(&e))?;
                Ok(pem_block("RSA PRIVATE KEY", der.as_bytes()))
            }
            PrivateKey::P256(k) => {
                use p256::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                ec_pem(&k.to_bytes(), OID_P256, point.as_bytes())
            }
            PrivateKey::P384(k) => {
                use p384::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                ec_pem(&k.to_bytes(), OID_P384, point.as_bytes())
            }
            PrivateKey::Ed25519(k) => {
                // PKCS#8 v1 (no public key), as Go writes it and OpenSSL reads it.
                let mut der = vec![
                    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04,
                    0x22, 0x04, 0x20,
                ];
                der.extend_from_slice(&k.to_bytes());
                Ok(pem_block("PRIVATE KEY", &der))
            }
            PrivateKey::Dsa(k) => {
                let public = k.verifying_key();
                let c = public.components();
                let der = DsaKeyFormat {
                    version: Uint::new(&[0]).map_err(|e| failed(&e))?,
                    p: dsa_uint(c.p())?,
                    q: dsa_uint(c.q())?,
                    g: dsa_uint(c.g())?,
                    y: dsa_uint(public.y())?,
                    x: dsa_uint(k.x())?,
                }
                .to_der()
                .map_err(|e| failed(&e))?;
                Ok(pem_block("DSA PRIVATE KEY", &der))
            }
        }
    }

    /// The public key as a certificate holds it.
    fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned, Error> {
        let der = match self {
            PrivateKey::Rsa(k) => k.to_public_key().to_public_key_der(),
            PrivateKey::P256(k) => k.public_key().to_public_key_der(),
            PrivateKey::P384(k) => k.public_key().to_public_key_der(),
            PrivateKey::Ed25519(k) => k.verifying_key().to_public_key_der(),
            PrivateKey::Dsa(_) => return Err(not_a_signer()),
        }
        .map_err(|e| func_error(format!("error creating certificate: {e}")))?;
        SubjectPublicKeyInfoOwned::from_der(der.as_bytes())
            .map_err(|e| func_error(format!("error creating certificate: {e}")))
    }

    /// The signature algorithm Go picks for the key: SHA-256 with RSA and P-256, SHA-384
    /// with P-384, Ed25519 itself.
    fn signature_algorithm(&self) -> Result<AlgorithmIdentifierOwned, Error> {
        let (oid, null) = match self {
            PrivateKey::Rsa(_) => (SHA256_WITH_RSA, true),
            PrivateKey::P256(_) => (ECDSA_WITH_SHA256, false),
            PrivateKey::P384(_) => (ECDSA_WITH_SHA384, false),
            PrivateKey::Ed25519(_) => (ED25519, false),
            PrivateKey::Dsa(_) => return Err(not_a_signer()),
        };
        Ok(AlgorithmIdentifierOwned {
            oid,
            parameters: null.then(|| Any::from(der::asn1::Null)),
        })
    }

    /// Signs `message`; every algorithm here is deterministic (ECDSA per RFC 6979), so a
    /// seeded run repeats its certificates.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(match self {
            PrivateKey::Rsa(k) => rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new((**k).clone())
                .sign(message)
                .to_vec(),
            PrivateKey::P256(k) => {
                let signature: p256::ecdsa::Signature =
                    p256::ecdsa::SigningKey::from(k).sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            PrivateKey::P384(k) => {
                let signature: p384::ecdsa::Signature =
                    p384::ecdsa::SigningKey::from(k).sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            PrivateKey::Ed25519(k) => ed25519_dalek::Signer::sign(&**k, message)
                .to_bytes()
                .to_vec(),
            PrivateKey::Dsa(_) => return Err(not_a_signer()),
        })
    }
}

fn not_a_signer() -> Error {
    func_error(
        "error creating certificate: x509: certificate private key does not implement crypto.Signer",
    )
}

/// Go's `x509.MarshalECPrivateKey`: SEC1 with the named curve, which OpenSSL needs (the
/// curve crates' own SEC1 form leaves it out).
fn ec_pem(secret: &[u8], curve: ObjectIdentifier, point: &[u8]) -> Result<String, Error> {
    let der = sec1::EcPrivateKey {
        private_key: secret,
        parameters: Some(sec1::EcParameters::NamedCurve(curve)),
        public_key: Some(point),
    }
    .to_der()
    .map_err(|e| func_error(format!("cannot encode key: {e}")))?;
    Ok(pem_block("EC PRIVATE KEY", &der))
}

/// What a certificate says about its subject: Sprig's template.
pub struct Request {
    pub cn: String,
    pub ips: Vec<std::net::IpAddr>,
    pub dns: Vec<String>,
    /// Unix nanoseconds, Go's `time.Now()` and `NotAfter`.
    pub not_before: i128,
    pub not_after: i128,
    pub serial: [u8; 16],
    pub ca: bool,
}

/// The certificate that signs: its subject, its key identifier, its public key.
pub struct Issuer<'a> {
    cert: x509_cert::Certificate,
    key: &'a PrivateKey,
}

impl<'a> Issuer<'a> {
    /// The signer of `genSignedCert`: its certificate ([`parse_certificate`]) and key.
    pub fn new(cert: x509_cert::Certificate, key: &'a PrivateKey) -> Self {
        Issuer { cert, key }
    }

    fn subject_key_id(&self) -> Option<Vec<u8>> {
        let ext = self
            .cert
            .tbs_certificate
            .extensions
            .as_ref()?
            .iter()
            .find(|e| e.extn_id == SUBJECT_KEY_ID)?;
        let id = SubjectKeyIdentifier::from_der(ext.extn_value.as_bytes()).ok()?;
        Some(id.0.as_bytes().to_vec())
    }
}

/// A certificate's validity, in Go's encoding of each time.
#[derive(der::Sequence)]
struct Validity {
    not_before: Any,
    not_after: Any,
}

#[derive(der::Sequence)]
struct TbsCertificate {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: u8,
    serial_number: Uint,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: Validity,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Vec<Extension>>,
}

#[derive(der::Sequence)]
struct Certificate {
    tbs_certificate: TbsCertificate,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

fn creating(e: impl std::fmt::Display) -> Error {
    func_error(format!("error creating certificate: {e}"))
}

/// Go's time in a certificate: UTCTime from 1950 to 2049, GeneralizedTime otherwise, in
/// whole seconds (the clock's fraction dropped, as Go's calendar fields drop it).
fn x509_time(nanos: i128) -> Result<Any, Error> {
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000))
        .map_err(|_| creating("certificate validity out of range"))?;
    let t = jiff::Timestamp::from_second(secs)
        .map_err(|_| creating("asn1: structure error: cannot represent time as GeneralizedTime"))?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .datetime();
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let (tag, text) = if (1950..2050).contains(&t.year()) {
        (Tag::UtcTime, format!("{:02}{rest}", t.year() % 100))
    } else if (0..=9999).contains(&t.year()) {
        (Tag::GeneralizedTime, format!("{:04}{rest}", t.year()))
    } else {
        return Err(creating(
            "asn1: structure error: cannot represent time as GeneralizedTime",
        ));
    };
    Any::new(tag, text.into_bytes()).map_err(creating)
}

/// Go's subject: the common name alone, a PrintableString where its characters allow
/// (no `*` or `&`), a UTF8String otherwise; no name at all when it is empty.
fn subject(cn: &str) -> Result<Name, Error> {
    if cn.is_empty() {
        return Ok(RdnSequence(Vec::new()));
    }
    let printable = cn
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    let tag = if printable {
        Tag::PrintableString
    } else {
        Tag::Utf8String
    };
    let value = Any::new(tag, cn.as_bytes()).map_err(creating)?;
    let attribute = AttributeTypeAndValue {
        oid: COMMON_NAME,
        value,
    };
    let rdn = SetOfVec::try_from(vec![attribute]).map_err(creating)?;
    Ok(RdnSequence(vec![RelativeDistinguishedName(rdn)]))
}

fn extension(
    oid: ObjectIdentifier,
    critical: bool,
    value: &impl der::Encode,
) -> Result<Extension, Error> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().map_err(creating)?).map_err(creating)?,
    })
}

/// The extensions Go writes for Sprig's template, in Go's order: key usage (critical),
/// extended key usage, basic constraints (critical), a CA's own key identifier (SHA-256
/// truncated to 160 bits, as Go 1.25 and so Helm 4 make it), the issuer's key identifier,
/// the alternative names (critical when the subject is empty).
fn extensions(
    req: &Request,
    subject: &Name,
    spki: &SubjectPublicKeyInfoOwned,
    authority_key_id: Option<Vec<u8>>,
) -> Result<Vec<Extension>, Error> {
    let mut usages = KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment;
    if req.ca {
        usages |= KeyUsages::KeyCertSign;
    }
    let mut out = vec![
        extension(KEY_USAGE, true, &KeyUsage(usages))?,
        extension(
            EXTENDED_KEY_USAGE,
            false,
            &ExtendedKeyUsage(vec![SERVER_AUTH, CLIENT_AUTH]),
        )?,
        extension(
            BASIC_CONSTRAINTS,
            true,
            &BasicConstraints {
                ca: req.ca,
                path_len_constraint: None,
            },
        )?,
    ];
    if req.ca {
        let digest = sha2::Sha256::digest(spki.subject_public_key.raw_bytes());
        let id = OctetString::new(&digest[..20]).map_err(creating)?;
        out.push(extension(SUBJECT_KEY_ID, false, &SubjectKeyIdentifier(id))?);
    }
    if let Some(id) = authority_key_id {
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(id).map_err(creating)?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        out.push(extension(AUTHORITY_KEY_ID, false, &aki)?);
    }
    if !req.dns.is_empty() || !req.ips.is_empty() {
        let mut names = Vec::new();
        for dns in &req.dns {
            let name = Ia5String::new(dns).map_err(|_| {
                creating(format!("x509: {dns:?} cannot be encoded as an IA5String"))
            })?;
            names.push(GeneralName::DnsName(name));
        }
        for ip in &req.ips {
            let bytes = match ip {
                std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
                std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => v6.octets().to_vec(),
                },
            };
            names.push(GeneralName::IpAddress(
                OctetString::new(bytes).map_err(creating)?,
            ));
        }
        let critical = subject.0.is_empty();
        out.push(extension(
            SUBJECT_ALT_NAME,
            critical,
            &SubjectAltName(names),
        )?);
    }
    Ok(out)
}

/// A PEM certificate for `key`'s public half, signed by `issuer` (or by `key` itself).
pub fn create(req: &Request, key: &PrivateKey, issuer: Option<&Issuer>) -> Result<String, Error> {
    let spki = key.public_key_info()?;
    let signer = issuer.map_or(key, |i| i.key);
    let subject = subject(&req.cn)?;
    let (issuer_name, authority_key_id) = match issuer {
        None => (subject.clone(), None),
        Some(i) => {
            let name = i.cert.tbs_certificate.subject.clone();
            let signer_spki = signer.public_key_info()?;
            if signer_spki != i.cert.tbs_certificate.subject_public_key_info {
                return Err(creating(
                    "x509: provided PrivateKey doesn't match parent's PublicKey",
                ));
            }
            // Go names the issuer's key only when issuer and subject differ.
            let aki = (name != subject).then(|| i.subject_key_id()).flatten();
            (name, aki)
        }
    };
    let algorithm = signer.signature_algorithm()?;
    let tbs = TbsCertificate {
        version: 2,
        serial_number: Uint::new(&req.serial).map_err(creating)?,
        signature: algorithm.clone(),
        issuer: issuer_name,
        validity: Validity {
            not_before: x509_time(req.not_before)?,
            not_after: x509_time(req.not_after)?,
        },
        extensions: Some(extensions(req, &subject, &spki, authority_key_id)?),
        subject,
        subject_public_key_info: spki,
    };
    let signature = signer.sign(&tbs.to_der().map_err(creating)?)?;
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature).map_err(creating)?,
    };
    Ok(pem_block("CERTIFICATE", &cert.to_der().map_err(creating)?))
}

/// A PEM certificate as Sprig reads one (`pem.Decode`, then `x509.ParseCertificate`); the
/// error names `what` was parsed, as Sprig's do.
pub fn parse_certificate(pem: &str, what: &str) -> Result<x509_cert::Certificate, String> {
    let (_, der) = pem_decode(pem).ok_or("unable to decode certificate")?;
    x509_cert::Certificate::from_der(&der).map_err(|e| {
        format!("error parsing certificate: {what}.Bytes: x509: malformed certificate ({e})")
    })
}
