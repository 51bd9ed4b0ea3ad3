//! `vrisk schema`: print an embedded JSON Schema, for editors and other tools.

use crate::cli::args::{SchemaArgs, SchemaName};
use crate::cli::exit::Exit;
use crate::cli::terminal::print_stdout;
use crate::input::schema::SchemaKind;

pub fn run(args: SchemaArgs) -> Exit {
    let kind = match args.kind {
        SchemaName::Registry => SchemaKind::Registry,
        SchemaName::Policy => SchemaKind::Policy,
        SchemaName::Waivers => SchemaKind::Waivers,
        SchemaName::Config => SchemaKind::Config,
        SchemaName::Test => SchemaKind::Test,
    };
    print_stdout(kind.text());
    if !kind.text().ends_with('\n') {
        print_stdout("\n");
    }
    Exit::Ok
}
