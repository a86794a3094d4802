//! Tests of reading records, listings and their quirks.

use serde_json::{Value, json};

use super::coerce::digits;
use super::lookup::same_key;
use super::*;

/// One record read with `read`, as `Api::one` reads it.
fn read_one<T>(body: &[u8], read: &dyn Fn(&Record) -> Result<T>) -> Result<Option<T>> {
    match one_record(body)? {
        Some(r) => read(&r).map(Some),
        None => Ok(None),
    }
}

fn rec(v: Value) -> Record<'static> {
    Record::from_value(v).unwrap()
}

#[test]
fn ids_keep_all_64_bits_from_numbers_and_strings() {
    let r = rec(
        json!({"uniqueMeetingId": 200000000016584808u64, "organizerKey": "8439885694023999999"}),
    );
    assert_eq!(
        r.id(&["uniqueMeetingId"]).unwrap(),
        Some(200000000016584808)
    );
    assert_eq!(r.id(&["organizerKey"]).unwrap(), Some(8439885694023999999));
    assert!(rec(json!({"k": 1.5})).id(&["k"]).is_err());
    assert!(rec(json!({"k": -3})).id(&["k"]).is_err());
    assert!(rec(json!({"k": "12ab"})).id(&["k"]).is_err());
}

#[test]
fn dashed_join_codes_are_read_as_their_digits() {
    let r = rec(json!({"meetingId": "331-536-871", "k": " 123-4567-890 ", "ks": ["1-2", 3]}));
    assert_eq!(r.id(&["meetingId"]).unwrap(), Some(331536871));
    assert_eq!(r.id(&["k"]).unwrap(), Some(1234567890));
    assert_eq!(r.ids(&["ks"]).unwrap(), vec![12, 3]);
    for bad in ["-1", "1-", "1--2", "12-ab", "-", "+1-2", "1-2.5"] {
        assert!(rec(json!({"k": bad})).id(&["k"]).is_err(), "{bad}");
    }
    // Counts are not ids: a dashed count stays an error.
    assert!(rec(json!({"c": "1-2"})).count(&["c"]).is_err());
}

#[test]
fn keys_match_whatever_their_case_and_empty_means_absent() {
    let r = rec(json!({"meetingid": 5, "createTime": "", "groupName": null}));
    assert_eq!(r.id(&["meetingId"]).unwrap(), Some(5));
    assert_eq!(r.time(&["createTime"]).unwrap(), None);
    assert_eq!(r.text(&["groupName"]).unwrap(), None);
    // Both spellings present: the first non-empty wins.
    let r = rec(json!({"organizerKey": "", "organizerkey": 7}));
    assert_eq!(r.id(&["organizerKey"]).unwrap(), Some(7));
}

#[test]
fn string_booleans_and_counts_are_coerced_but_wrong_types_fail() {
    let r = rec(json!({"a": "false", "b": true, "c": "60", "d": 3, "e": [1]}));
    assert_eq!(r.flag(&["a"]).unwrap(), Some(false));
    assert_eq!(r.flag(&["b"]).unwrap(), Some(true));
    assert_eq!(r.count(&["c"]).unwrap(), Some(60));
    assert_eq!(r.count(&["d"]).unwrap(), Some(3));
    assert!(r.flag(&["c"]).is_err());
    assert!(r.text(&["e"]).is_err());
    let err = r.count(&["e"]).unwrap_err();
    assert!(err.0.contains("`e`"), "{err:?}");
}

/// The records of a listing read with `read`; its skipped records must be none.
fn all<T>(body: &[u8], wrappers: &[&str], read: &dyn Fn(&Record) -> Result<T>) -> Vec<T> {
    let list = read_list(body, wrappers, read).unwrap();
    assert!(list.skipped.is_empty(), "{:?}", list.skipped);
    list.items
}

#[test]
fn lists_come_bare_or_wrapped_and_items_are_checked() {
    let read = |r: &Record| r.required_id(&["meetingId"]);
    let body = br#"[{"meetingId":1},{"meetingid":"2"}]"#;
    assert_eq!(all(body, &["meetings"], &read), vec![1, 2]);
    let body = br#"{"meetings":[{"meetingId":3}],"x":1}"#;
    assert_eq!(all(body, &["meetings"], &read), vec![3]);
    let body = br#"{"_embedded":{"other":1,"meetings":[{"meetingId":4}]},"page":{}}"#;
    assert_eq!(all(body, &["meetings"], &read), vec![4]);
    assert_eq!(all(b"[]", &["meetings"], &read), Vec::<u64>::new());
    // A record without its id is skipped, naming the field.
    let list = read_list(
        br#"[{"meetingId":1},{"subject":"x"}]"#,
        &["meetings"],
        &read,
    )
    .unwrap();
    assert_eq!(list.items, vec![1]);
    let [s] = &list.skipped[..] else {
        panic!("{:?}", list.skipped)
    };
    assert_eq!((s.position, s.record.as_str()), (1, r#"{"subject":"x"}"#));
    assert_eq!(s.reason, "field `meetingId` is missing");
    assert!(read_list(br#"{"other":[]}"#, &["meetings"], &read).is_err());
    // An element that is not an object is skipped, named whatever it is.
    for (body, got) in [
        ("[5]", "number 5"),
        ("[-2.5]", "number -2.5"),
        (r#"["x"]"#, r#"string "x""#),
        ("[null]", "null"),
        ("[true]", "boolean true"),
        ("[[1]]", "an array"),
    ] {
        let list = read_list(body.as_bytes(), &[], &read).unwrap();
        assert!(list.items.is_empty());
        let s = &list.skipped[0];
        assert_eq!(s.reason, format!("expected an object, got {got}"), "{body}");
        assert_eq!(s.record, body[1..body.len() - 1], "{body}");
    }
    // A body cut off, or with more after the list, still fails whole.
    assert!(read_list(b"[{\"meetingId\":1}", &[], &read).is_err());
    assert!(read_list(b"[{\"meetingId\":1},{\"subject\":", &[], &read).is_err());
    assert!(read_list(b"[] trailing", &[], &read).is_err());
}

#[test]
fn one_unreadable_record_is_skipped_with_its_text_and_the_others_are_kept() {
    let read = |r: &Record| {
        Ok((
            r.required_id(&["meetingId"])?,
            r.time(&["startTime"])?.unwrap_or_default(),
        ))
    };
    let bad = r#"{ "meetingId" : 2, "subject":"caf\u00e9", "startTime": "soon" }"#;
    let body = format!(
        r#"{{"meetings":[{{"meetingId":1,"startTime":"2024-01-02T03:04:05Z"}}, {bad},{{"meetingId":"3"}}]}}"#
    );
    let list = read_list(body.as_bytes(), &["meetings"], &read).unwrap();
    assert_eq!(
        list.items,
        vec![(1, "2024-01-02T03:04:05Z".to_string()), (3, String::new())]
    );
    let [s] = &list.skipped[..] else {
        panic!("{:?}", list.skipped)
    };
    assert_eq!(s.position, 1);
    assert!(s.reason.starts_with("field `startTime`: "), "{}", s.reason);
    assert_eq!(s.record, bad, "the record's text, unchanged");
    // Every record skipped is still an answer: none read, all reported.
    let list = read_list(b"[{},{\"meetingId\":true}]", &[], &read).unwrap();
    assert!(list.items.is_empty());
    let got: Vec<_> = list
        .skipped
        .iter()
        .map(|s| (s.position, &*s.record))
        .collect();
    assert_eq!(got, vec![(0, "{}"), (1, r#"{"meetingId":true}"#)]);
    // Read whole, the first skipped record is the error.
    let list = read_list(b"[{},{}]", &[], &read).unwrap();
    let err = unread(&list.skipped[0]);
    assert_eq!(err.0, "item 0: field `meetingId` is missing");
}

#[test]
fn a_skipped_records_text_is_cut_out_whatever_the_layout() {
    let texts = |body: &str, wrappers: &[&str]| -> Vec<String> {
        let refuse = &mut |_: &Record| Err(ShapeError("no".into()));
        let list = read_records(body.as_bytes(), wrappers, refuse).unwrap();
        list.skipped.into_iter().map(|s| s.record).collect()
    };
    let tricky = r#"{"a":"],}\"{[","b":[1,{"c":[]}],"d\u00e9":-1.5e3,"e":null}"#;
    let cases: [(String, &[&str], &[&str]); 6] = [
        (format!(" [ {tricky} ,\n\t{{}} ] "), &[], &[tricky, "{}"]),
        (
            format!(r#"[1,"x",true,null,[1,[2]],{tricky}]"#),
            &[],
            &["1", r#""x""#, "true", "null", "[1,[2]]", tricky],
        ),
        (
            format!(r#"{{"page":{{"items":[{{}}]}},"x":"items","items":[{tricky}]}}"#),
            &["items"],
            &[tricky],
        ),
        (
            format!(r#"{{"items":null,"_embedded":{{"items":null,"ITEMS":[{tricky},2]}}}}"#),
            &["items"],
            &[tricky, "2"],
        ),
        (
            r#"{"_embedded":null,"it\u0065ms":[ "a" , "b" ]}"#.into(),
            &["items"],
            &[r#""a""#, r#""b""#],
        ),
        ("[]".into(), &[], &[]),
    ];
    for (body, wrappers, want) in cases {
        assert_eq!(texts(&body, wrappers), want, "{body}");
    }
}

#[test]
fn skipped_records_of_later_pages_count_after_the_earlier_pages() {
    let read = |r: &Record| r.required_id(&["k"]);
    let mut all = Vec::new();
    let mut before = 0;
    for body in [
        &br#"[{"k":1},{"x":1}]"#[..],
        br#"{"content":[{"y":2},{"k":2}]}"#,
    ] {
        let list = read_records(body, &["content"], &mut |r| read(r).map(drop)).unwrap();
        before = add_page(&mut all, list.skipped, before, list.len);
    }
    assert_eq!(before, 4);
    let got: Vec<_> = all.iter().map(|s| (s.position, &*s.record)).collect();
    assert_eq!(got, vec![(1, r#"{"x":1}"#), (2, r#"{"y":2}"#)]);
}

#[test]
fn the_fields_beside_the_list_are_kept_and_a_missing_list_is_reported() {
    let body = br#"{"page":{"number":2},"content":[{"a":1}],"links":[]}"#;
    let list = read_records(body, &["content"], &mut |_| Ok(())).unwrap();
    assert!(list.found);
    assert_eq!(list.len, 1);
    let page = list.rest.object(&["page"]).unwrap().unwrap();
    assert_eq!(page.count(&["number"]).unwrap(), Some(2));
    assert!(list.rest.raw("content").is_none());
    let list = read_records(br#"{"page":{}}"#, &["content"], &mut |_| Ok(())).unwrap();
    assert!(!list.found && list.len == 0);
    for body in [
        &br#"{"_embedded":null}"#[..],
        br#"{"x":null}"#,
        br#"{"_embedded":{"x":null}}"#,
    ] {
        let list = read_records(body, &["x"], &mut |_| Ok(())).unwrap();
        assert!(!list.found && list.rest.raw("x").is_none());
    }
    // The first wrapper holding a list is the list.
    let list = read_records(br#"{"x":null,"X":[{}]}"#, &["x"], &mut |_| Ok(())).unwrap();
    assert!(list.found && list.len == 1);
}

#[test]
fn lookups_find_the_first_usable_field_among_many() {
    // More fields than the index holds, several with one name in
    // different cases: the first non-empty in body order wins.
    let mut m = String::from("{");
    for i in 0..100 {
        m.push_str(&format!("\"f{i}\":{i},"));
    }
    m.push_str(r#""Key":"","KEY":"","key":"7","kEy":"8","late":"x"}"#);
    let read = |r: &Record| {
        Ok((
            r.id(&["key"])?,
            r.id(&["F0"])?,
            r.id(&["f99"])?,
            r.text(&["LATE"])?,
            r.id(&["f100"])?,
        ))
    };
    let got = all(format!("[{m}]").as_bytes(), &[], &read);
    assert_eq!(
        got,
        vec![(Some(7), Some(0), Some(99), Some("x".into()), None)]
    );
    let few = all(br#"[{"a":"","A":"2","b":1}]"#, &[], &|r: &Record| {
        r.id(&["a"])
    });
    assert_eq!(few, vec![Some(2)]);
}

#[test]
fn digits_read_as_str_parse_does() {
    for s in [
        "0",
        "7",
        " 42 ",
        "+5",
        "+",
        "",
        " ",
        "-1",
        "1.0",
        "12ab",
        "\u{a0}9\u{a0}",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "0000000000000000000000123",
        "1234567890123456789",
    ] {
        assert_eq!(digits(s), s.trim().parse::<u64>().ok(), "{s:?}");
    }
}

#[test]
fn escaped_keys_and_text_read_as_their_unescaped_form() {
    let read = |r: &Record| Ok((r.required_id(&["meetingId"])?, r.text(&["subject"])?));
    let body = br#"[{"meeting\u0049d":"7","subject":"a\u2013b \"c\""}]"#;
    assert_eq!(
        all(body, &[], &read),
        vec![(7, Some("a\u{2013}b \"c\"".to_string()))]
    );
    // Nested objects are records too.
    let read = |r: &Record| {
        r.object(&["recording"])?
            .map(|rec| rec.required_text(&["recordingId"]))
            .transpose()
    };
    let body = br#"[{"recording":{"recordingid":"r1"}},{"recording":null}]"#;
    assert_eq!(all(body, &[], &read), vec![Some("r1".to_string()), None]);
}

#[test]
fn a_body_that_is_not_a_list_is_named_as_serde_json_names_it() {
    // The wording serde_json gave when these errors went through
    // `de::Unexpected`; `not_a_list` writes it now.
    let read = |r: &Record| r.required_id(&["meetingId"]);
    for (body, want) in [
        (r#""a\"b\u00e9\n""#, r#"string "a\"bé\n""#),
        ("-5", "integer `-5`"),
        ("7", "integer `7`"),
        ("1e3", "floating point `1000.0`"),
        (
            "18446744073709551616",
            "floating point `1.8446744073709552e+19`",
        ),
        ("false", "boolean `false`"),
        ("null", "null"),
        (r#"{"meetings": 2.5}"#, "floating point `2.5`"),
        (r#"{"meetings": "y"}"#, r#"string "y""#),
        (r#"{"meetings": {}}"#, "map"),
    ] {
        let err = read_list(body.as_bytes(), &["meetings"], &read).unwrap_err();
        let want = format!("invalid type: {want}, expected a list of records at line 1 ");
        assert!(err.0.starts_with(&want), "{body}: {err:?}");
    }
}

#[test]
fn same_key_ignores_ascii_case_at_every_length() {
    for key in [
        "",
        "a",
        "startTime",
        "meetingId",
        "uniqueMeetingIdX",
        "conferenceCallInfo",
    ] {
        let upper = key.to_ascii_uppercase();
        assert!(same_key(key, key), "{key}");
        assert!(same_key(key, &upper), "{key}");
        for i in 0..key.len() {
            let mut other = key.as_bytes().to_vec();
            other[i] ^= 1;
            let other = String::from_utf8(other).unwrap();
            assert_eq!(
                same_key(key, &other),
                key.eq_ignore_ascii_case(&other),
                "{key} {other}"
            );
        }
        assert!(!same_key(key, &format!("{key}x")));
    }
}

#[test]
fn one_record_comes_bare_or_as_an_array_of_one() {
    let read = |r: &Record| r.required_id(&["meetingId"]);
    assert_eq!(read_one(br#"[{"meetingId":9}]"#, &read).unwrap(), Some(9));
    assert_eq!(read_one(br#"{"meetingId":9}"#, &read).unwrap(), Some(9));
    assert_eq!(read_one(b"[]", &read).unwrap(), None);
    assert!(read_one(b"\"x\"", &read).is_err());
    // The first of several is the one; the rest are still checked as JSON.
    assert_eq!(
        read_one(br#"[{"meetingId":9},{"meetingId":10}]"#, &read).unwrap(),
        Some(9)
    );
    assert!(read_one(br#"[{"meetingId":9},{"meetingId":"#, &read).is_err());
    assert!(read_one(br#"{"meetingId":9} x"#, &read).is_err());
    // Keys and text with escapes are read unescaped.
    let body = br#"{"subj\u0065ct":"a\nb","meetingId":"9"}"#;
    let r = one_record(body).unwrap().unwrap();
    assert_eq!(r.text(&["subject"]).unwrap().as_deref(), Some("a\nb"));
    assert_eq!(r.id(&["meetingId"]).unwrap(), Some(9));
    for (body, got) in [
        (&b"[1]"[..], "number 1"),
        (b"null", "null"),
        (b"[[]]", "an array"),
    ] {
        let e = read_one(body, &read).unwrap_err().0;
        assert!(e.contains(&format!("expected an object, got {got}")), "{e}");
    }
}
