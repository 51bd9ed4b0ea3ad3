//! Writes a synthetic BODS 0.4 JSON Lines file, for measuring how fast `vrisk` loads large
//! ownership data:
//!
//! ```sh
//! cargo run --release --example bods_jsonl -- 1000000 /tmp/bods-1m.jsonl
//! time target/release/vrisk validate --registry /tmp/bods-1m.jsonl
//! ```
//!
//! Half the statements are entities and persons, half are relationships: each party after the
//! first is owned by the party at half its index (a binary tree), through an exact share or a
//! register band. Every record id is different and the output is the same on every run.

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args
        .next()
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let path = args.next().unwrap_or_else(|| "bods.jsonl".to_string());
    let mut out = BufWriter::new(std::fs::File::create(&path)?);
    let mut written = 0;
    for n in 0.. {
        if written == count {
            break;
        }
        party(&mut out, n)?;
        written += 1;
        if n > 0 && written < count {
            relationship(&mut out, n)?;
            written += 1;
        }
    }
    out.flush()?;
    eprintln!("wrote {written} statements to {path}");
    Ok(())
}

/// Some record ids are upper case, as several registers publish them, so that vrisk derives
/// slugs for them.
fn record_id(n: u64) -> String {
    if n.is_multiple_of(5) {
        format!("ENT-{n:08X}")
    } else {
        format!("ent-{n}")
    }
}

fn party(out: &mut impl Write, n: u64) -> std::io::Result<()> {
    let id = record_id(n);
    if n % 10 == 9 {
        writeln!(
            out,
            r#"{{"statementId":"st-p-{n}","statementDate":"2024-01-01","recordId":"{id}","recordType":"person","recordStatus":"new","recordDetails":{{"isComponent":false,"personType":"knownPerson","names":[{{"type":"legal","fullName":"Person {n}"}}],"nationalities":[{{"name":"Ireland","code":"IE"}}]}}}}"#
        )
    } else {
        writeln!(
            out,
            r#"{{"statementId":"st-e-{n}","statementDate":"2024-01-01","recordId":"{id}","recordType":"entity","recordStatus":"new","recordDetails":{{"isComponent":false,"entityType":{{"type":"registeredEntity"}},"name":"Company {n} Ltd","jurisdiction":{{"name":"United Kingdom","code":"GB"}},"identifiers":[{{"scheme":"GB-COH","id":"{n:08}"}}]}}}}"#
        )
    }
}

/// Party `n` is owned by party `(n - 1) / 2`. A person owns nothing, so a person's children are
/// owned by the grandparent instead.
fn relationship(out: &mut impl Write, n: u64) -> std::io::Result<()> {
    let mut owner = (n - 1) / 2;
    while owner % 10 == 9 {
        owner = owner.saturating_sub(1) / 2;
    }
    let share = if n.is_multiple_of(3) {
        r#"{"minimum":25,"exclusiveMaximum":50}"#.to_string()
    } else {
        format!(r#"{{"exact":{}}}"#, 20 + (n * 7) % 30)
    };
    writeln!(
        out,
        r#"{{"statementId":"st-r-{n}","statementDate":"2024-01-01","recordId":"rel-{n}","recordType":"relationship","recordStatus":"new","recordDetails":{{"isComponent":false,"subject":"{}","interestedParty":"{}","interests":[{{"type":"shareholding","directOrIndirect":"direct","share":{share},"startDate":"2020-01-01"}}]}}}}"#,
        record_id(n),
        record_id(owner)
    )
}
