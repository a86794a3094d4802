use super::*;

fn norm(s: &str) -> String {
    format(parse_goto(s).unwrap().unwrap())
}

#[test]
fn every_goto_format_becomes_rfc3339_utc() {
    assert_eq!(norm("2012-12-01T09:00:00.+0000"), "2012-12-01T09:00:00Z");
    assert_eq!(norm("2015-02-17T00:10:33.+0000"), "2015-02-17T00:10:33Z");
    assert_eq!(norm("2014-03-26T15:00:00Z"), "2014-03-26T15:00:00Z");
    assert_eq!(norm("2014-03-26T17:00:00+02:00"), "2014-03-26T15:00:00Z");
    assert_eq!(norm("2012-12-01T09:00:00.000+0100"), "2012-12-01T08:00:00Z");
    assert_eq!(norm("06/14/2012 11:14:43"), "2012-06-14T11:14:43Z");
    assert_eq!(norm("2013-03-01T08:00:00"), "2013-03-01T08:00:00Z");
    assert_eq!(norm("1436824800000"), "2015-07-13T22:00:00Z");
    assert_eq!(norm("2012-12-01T09:00:00.250Z"), "2012-12-01T09:00:00.250Z");
}

#[test]
fn empty_is_none_and_garbage_is_an_error() {
    assert_eq!(parse_goto("").unwrap(), None);
    assert_eq!(parse_goto("  ").unwrap(), None);
    assert!(parse_goto("next tuesday").is_err());
    assert!(parse_goto("13/45/2012 99:00:00").is_err());
    assert!(parse_goto("2012-02-30T09:00:00Z").is_err());
    assert!(parse_goto("2012-12-01T09:00:00+2500").is_err());
    assert!(parse_goto("2012-12-01T09:00:00Zjunk").is_err());
    // Responses are read leniently, but an offset is a real offset.
    for bad in [
        "2012-12-01T09:00:00+05:99",
        "2012-12-01T09:00:00+0560",
        "2012-12-01T09:00:00-24:00",
        "2012-12-01T09:00:00+99",
    ] {
        assert!(parse_goto(bad).is_err(), "{bad}");
    }
    assert_eq!(norm("2012-12-01T09:00:00-23:59"), "2012-12-02T08:59:00Z");
    assert_eq!(norm("2012-12-01T09:00:00+05"), "2012-12-01T04:00:00Z");
    assert!(parse_goto("12345").is_err());
}

#[test]
fn epoch_millis_cover_chronos_range_and_sign_far_years() {
    let ms = |v| from_epoch_millis(v).map(format);
    assert_eq!(ms(1709164800000).as_deref(), Some("2024-02-29T00:00:00Z"));
    assert_eq!(ms(-1).as_deref(), Some("1969-12-31T23:59:59.999Z"));
    assert_eq!(
        ms(-62167219200001).as_deref(),
        Some("-0001-12-31T23:59:59.999Z")
    );
    assert_eq!(
        ms(253402300800000).as_deref(),
        Some("+10000-01-01T00:00:00Z")
    );
    assert_eq!(
        ms(8210266876799999).as_deref(),
        Some("+262142-12-31T23:59:59.999Z")
    );
    assert_eq!(ms(8210266876800000), None);
    assert_eq!(
        ms(-8334601228800000).as_deref(),
        Some("-262143-01-01T00:00:00Z")
    );
    assert_eq!(ms(-8334601228800001), None);
    assert_eq!(ms(i64::MAX), None);
    assert_eq!(ms(i64::MIN), None);
    let t = parse_rfc3339("2026-07-01T22:00:00.123456+02:00").unwrap();
    assert_eq!(format(t), "2026-07-01T20:00:00.123456Z");
    assert_eq!(t.unix_millis(), 1782936000123);
    assert_eq!(t.unix_seconds(), 1782936000);
    assert_eq!(
        Instant::from_unix(1782936000, 5).map(format).as_deref(),
        Some("2026-07-01T20:00:00.000000005Z")
    );
    assert_eq!(Instant::from_unix(1782936000, 1_000_000_000), None);
}

#[test]
fn imf_fixdate_is_read_and_the_obsolete_forms_are_not() {
    let t = parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
    assert_eq!(format(t), "1994-11-06T08:49:37Z");
    assert_eq!(
        parse_imf_fixdate(" Wed, 01 Jul 2026 00:00:30 GMT ")
            .map(format)
            .as_deref(),
        Some("2026-07-01T00:00:30Z")
    );
    for bad in [
        "Mon, 06 Nov 1994 08:49:37 GMT",  // wrong day name
        "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850
        "Sun Nov  6 08:49:37 1994",       // asctime
        "Sun, 06 Nov 1994 08:49:37 UTC",  // not GMT
        "Sun, 31 Nov 1994 08:49:37 GMT",  // no such day
        "Sun, 06 Nov 1994 24:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "120",
        "",
    ] {
        assert_eq!(parse_imf_fixdate(bad), None, "{bad}");
    }
}

#[test]
fn inputs_must_be_strict_rfc3339() {
    assert_eq!(
        format(parse_rfc3339("2026-07-01T22:00:00+02:00").unwrap()),
        "2026-07-01T20:00:00Z"
    );
    assert_eq!(
        format(parse_rfc3339(" 2026-07-01t22:00:00.5z ").unwrap()),
        "2026-07-01T22:00:00.500Z"
    );
    for bad in [
        "2026-07-01T22:00:00",
        "2026-07-01 22:00:00Z",
        "2026-07-01T22:00:00.+0000",
        "2026-07-01T22:00:00+0530",
        "2026-07-01T22:00:00+05",
        "2026-07-01T22:00:00+05:99",
        "2026-07-01T22:00:00+24:00",
        "2026-07-01T22:00:00+5:30",
        "2026-07-01",
        "2026-13-01T00:00:00Z",
        "",
    ] {
        assert!(parse_rfc3339(bad).is_none(), "{bad}");
    }
}

#[test]
fn time_zone_ids() {
    for ok in [
        "America/New_York",
        "Europe/London",
        "America/Argentina/Buenos_Aires",
        "Etc/GMT+5",
        "UTC",
    ] {
        assert!(is_time_zone_id(ok), "{ok}");
    }
    for bad in [
        "",
        "EST5",
        "america/new_york",
        "New York",
        "Europe/",
        "/London",
    ] {
        assert!(!is_time_zone_id(bad), "{bad}");
    }
}
