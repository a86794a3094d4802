//! GoToAssist Remote Support partner-system links: `create-system-links`,
//! `list-system-links`.

use alloc::vec::Vec;

use serde_json::Value;

use crate::core::bases::G2A;
use crate::core::client::{Api, object};
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Record, ShapeError};
use crate::core::validate::{check_email, check_https_url};
use crate::exports::assist::{SupportedCallbacks, SystemLink, SystemLinkDetails, SystemLinks};
use crate::{Connection, Error};

pub fn create_system_links(
    t: &mut dyn Transport,
    conn: &Connection,
    links: &SystemLinkDetails,
) -> Result<(), Error> {
    let body = links_body(links)?;
    let secrets = [links.user_token.as_str()];
    let mut api = Api::new(t, conn, G2A)?;
    let url = api.url(&["systemLinks"], &[]);
    // GoTo documents 200 with no body; it has also been seen to answer
    // `text/plain` `OK`. Nothing in the body is needed, so any 2xx is a
    // success whatever it carries.
    api.send(Method::Post, url, Some(&body))
        .map(drop)
        .map_err(|e| seat_hint(e, &secrets))
}

pub fn list_system_links(
    t: &mut dyn Transport,
    conn: &Connection,
    system_domain: &str,
) -> Result<SystemLinks, Error> {
    let domain = check_domain("systemDomain", system_domain)?;
    let mut api = Api::new(t, conn, G2A)?;
    let url = api.url(&["systemLinks"], &[("systemDomain", domain)]);
    let resp = api
        .send(Method::Get, url, None)
        .map_err(|e| seat_hint(e, &[]))?;
    read_links(&resp.body)
        .map_err(|e| errors::invalid_response(resp.status, e, &[&conn.access_token], Method::Get))
}

/// GoTo does not document the list's shape: accept an empty body, a bare
/// array, an array wrapped in an object, or a single link object (read whole:
/// it is the answer, not one record of a list).
fn read_links(body: &[u8]) -> record::Result<SystemLinks> {
    let links = |links, skipped| SystemLinks { links, skipped };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(links(Vec::new(), Vec::new()));
    }
    match record::read_list(
        body,
        &["systemLinks", "links", "content", "items"],
        &read_link,
    ) {
        Ok(list) => Ok(links(list.items, list.skipped)),
        Err(list_err) => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) if m.keys().any(|k| k.eq_ignore_ascii_case("systemDomain")) => {
                Ok(links(vec![read_link(&Record::from(m))?], Vec::new()))
            }
            _ => Err(list_err),
        },
    }
}

fn read_link(r: &Record) -> record::Result<SystemLink> {
    Ok(SystemLink {
        system_name: r.text(&["systemName"])?,
        system_domain: r.text(&["systemDomain"])?,
        user_email: r.text(&["userEmail"])?,
        user_token: r.text(&["userToken"])?,
        callback_url: r.text(&["callbackURL"])?,
        supported_callbacks: r
            .object(&["supportedCallbacks"])?
            .map(|c| {
                Ok::<_, ShapeError>(SupportedCallbacks {
                    create_object: c.flag(&["createObject"])?.unwrap_or(false),
                    search_objects: c.flag(&["searchObjects"])?.unwrap_or(false),
                    associate_object: c.flag(&["associateObject"])?.unwrap_or(false),
                })
            })
            .transpose()?,
    })
}

/// The body of `POST /systemLinks`.
fn links_body(l: &SystemLinkDetails) -> Result<Value, Error> {
    if l.system_name.trim().is_empty() {
        return Err(invalid("links.systemName", "must not be empty"));
    }
    let domain = check_domain("links.systemDomain", &l.system_domain)?;
    let email = check_email("links.userEmail", &l.user_email)?;
    if l.user_token.trim().is_empty() {
        return Err(invalid("links.userToken", "must not be empty"));
    }
    check_https_url("links.callbackUrl", &l.callback_url)?;
    let callbacks = &l.supported_callbacks;
    Ok(Value::Object(object(vec![
        ("systemName", l.system_name.trim().into()),
        ("systemDomain", domain.into()),
        ("userEmail", email.into()),
        ("userToken", l.user_token.as_str().into()),
        ("callbackURL", l.callback_url.trim().into()),
        (
            "supportedCallbacks",
            Value::Object(object(vec![
                ("createObject", callbacks.create_object.into()),
                ("searchObjects", callbacks.search_objects.into()),
                ("associateObject", callbacks.associate_object.into()),
            ])),
        ),
    ])))
}

/// A partner-system domain such as `theCompany.com`.
fn check_domain<'s>(field: &str, raw: &'s str) -> Result<&'s str, Error> {
    let d = raw.trim();
    let ok = !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !ok {
        return Err(invalid(
            field,
            format!("must be a domain name such as theCompany.com (got {raw:?})"),
        ));
    }
    Ok(d)
}

/// G2A answers 401 both for a bad token and for a technician without a
/// Remote Support seat: say both. The partner's user token is redacted.
fn seat_hint(mut e: Error, secrets: &[&str]) -> Error {
    errors::redact_error(&mut e, secrets);
    if let Error::Unauthorized(a) = &mut e
        && a.status == 401
    {
        errors::replace_advice(
            a,
            errors::ADVICE_UNAUTHORIZED,
            "The access token is invalid or expired, or the technician has no GoToAssist Remote Support seat: refresh the token, or assign the technician a Remote Support seat in GoTo Admin, then call again.",
        );
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};

    fn details() -> SystemLinkDetails {
        SystemLinkDetails {
            system_name: "The Company".into(),
            system_domain: "theCompany.com".into(),
            user_email: "valid.org@email.com".into(),
            user_token: "F5EE645AAA87462523475FFF8576348574".into(),
            callback_url: "https://api.theCompany.com/g2a_prefix".into(),
            supported_callbacks: SupportedCallbacks {
                create_object: true,
                search_objects: true,
                associate_object: false,
            },
        }
    }

    #[test]
    fn create_accepts_any_body_on_a_2xx() {
        // GoTo documents no body; `OK` as text/plain has been seen.
        for body in ["", "  ", "{}", r#"{"status":"ok"}"#, "[]", "OK", "<html>"] {
            let mut t = canned(200, body).with_header("content-type", "text/plain");
            create_system_links(&mut t, &conn(), &details()).unwrap();
            let sent: Value = serde_json::from_slice(t.sent[0].body.as_ref().unwrap()).unwrap();
            assert_eq!(sent["callbackURL"], "https://api.theCompany.com/g2a_prefix");
            assert_eq!(sent["supportedCallbacks"]["associateObject"], false);
            assert_eq!(
                t.sent[0].url.as_str(),
                "https://api.getgo.com/G2A/rest/v1/systemLinks"
            );
        }
    }

    #[test]
    fn a_401_names_the_missing_seat_and_never_echoes_the_user_token() {
        let mut t = canned(
            401,
            r#"{"message":"not entitled for F5EE645AAA87462523475FFF8576348574"}"#,
        );
        match create_system_links(&mut t, &conn(), &details()) {
            Err(Error::Unauthorized(a)) => {
                assert!(a.message.contains("Remote Support seat"), "{}", a.message);
                // The generic advice is replaced, not repeated.
                assert!(
                    !a.message.contains(errors::ADVICE_UNAUTHORIZED),
                    "{}",
                    a.message
                );
                assert!(!a.message.contains("F5EE645AAA"), "{}", a.message);
            }
            other => panic!("{other:?}"),
        }
    }

    /// One change to valid input that makes it invalid.
    type Mutation = Box<dyn Fn(&mut SystemLinkDetails)>;

    #[test]
    fn bad_input_is_refused_before_sending() {
        let cases: Vec<(Mutation, &str)> = vec![
            (
                Box::new(|d| d.system_name = "".into()),
                "links.systemName: ",
            ),
            (
                Box::new(|d| d.system_domain = "the company".into()),
                "links.systemDomain: ",
            ),
            (
                Box::new(|d| d.user_email = "nobody".into()),
                "links.userEmail: ",
            ),
            (
                Box::new(|d| d.user_email = "a@b".into()),
                "links.userEmail: ",
            ),
            (Box::new(|d| d.user_token = " ".into()), "links.userToken: "),
            (
                Box::new(|d| d.callback_url = "http://api.theCompany.com/x".into()),
                "links.callbackUrl: ",
            ),
            (
                Box::new(|d| d.callback_url = "/g2a_prefix".into()),
                "links.callbackUrl: ",
            ),
            (
                Box::new(|d| d.callback_url = "https://u:p@api.theCompany.com/".into()),
                "links.callbackUrl: ",
            ),
        ];
        for (mutate, want) in cases {
            let mut d = details();
            mutate(&mut d);
            let mut t = canned(200, "");
            match create_system_links(&mut t, &conn(), &d) {
                Err(Error::InvalidInput(msg)) => {
                    assert!(msg.starts_with(want), "{msg} vs {want}");
                    assert!(!msg.contains("F5EE645AAA"));
                }
                other => panic!("expected invalid-input {want}, got {other:?}"),
            }
            assert!(t.sent.is_empty());
        }
    }

    #[test]
    fn list_reads_arrays_wrappers_single_objects_and_empty_bodies() {
        let mut t = canned(
            200,
            r#"[{"systemName":"The Company","systemDomain":"theCompany.com","userEmail":"a@b.com",
                "userToken":"T","callbackURL":"https://x.test/cb"}]"#,
        );
        let links = list_system_links(&mut t, &conn(), "theCompany.com").unwrap();
        assert_eq!(
            links.links[0].callback_url.as_deref(),
            Some("https://x.test/cb")
        );
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2A/rest/v1/systemLinks?systemDomain=theCompany.com"
        );
        assert_eq!(read_links(b"").unwrap().links.len(), 0);
        assert_eq!(
            read_links(br#"{"systemLinks":[{"systemDomain":"d.com"}]}"#)
                .unwrap()
                .links
                .len(),
            1
        );
        assert_eq!(
            read_links(br#"{"systemDomain":"d.com"}"#)
                .unwrap()
                .links
                .len(),
            1
        );
        assert!(read_links(br#"{"x":1}"#).is_err());
        let mut t = canned(200, "[]");
        assert!(matches!(
            list_system_links(&mut t, &conn(), ""),
            Err(Error::InvalidInput(m)) if m.starts_with("systemDomain: ")
        ));
    }
}
