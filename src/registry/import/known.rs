//! The organisations and sources a registry already declares, so that an import names them by
//! their ids instead of declaring them twice. Read from the parsed YAML files without the
//! registry's checks: a registry that is still being built (a vendors file about to be replaced)
//! need not load on its own.

use std::collections::{BTreeMap, BTreeSet};

use crate::input::yaml::Node;

use super::rows::slugify;

#[derive(Debug, Default, Clone)]
pub struct Known {
    ids: BTreeSet<String>,
    /// The slug of every id, name and alias -> the organisation's id (the first declared wins).
    by_slug: BTreeMap<String, String>,
    sources: BTreeSet<String>,
}

impl Known {
    /// Adds what one registry file declares.
    pub fn add_document(&mut self, document: &Node) {
        let items = |key: &str| document.get(key).and_then(Node::as_seq).unwrap_or(&[]);
        for org in items("organisations") {
            let Some(id) = org.get("id").and_then(Node::as_str) else {
                continue;
            };
            self.ids.insert(id.to_string());
            let aliases = org.get("aliases").and_then(Node::as_seq).unwrap_or(&[]);
            let names = [org.get("name")]
                .into_iter()
                .flatten()
                .chain(aliases)
                .filter_map(Node::as_str);
            for name in std::iter::once(id).chain(names) {
                self.by_slug
                    .entry(slugify(name))
                    .or_insert_with(|| id.to_string());
            }
        }
        for source in items("sources") {
            if let Some(id) = source.get("id").and_then(Node::as_str) {
                self.sources.insert(id.to_string());
            }
        }
    }

    /// The id of the declared organisation that `text` names: by id, name or alias, compared as
    /// slugs (`Helix Robotics Inc.` finds `helix-robotics-inc` and a name `Helix Robotics, Inc`).
    pub fn organisation(&self, text: &str) -> Option<&str> {
        if let Some(id) = self.ids.get(text) {
            return Some(id);
        }
        self.by_slug.get(&slugify(text)).map(String::as_str)
    }

    pub fn has_source(&self, id: &str) -> bool {
        self.sources.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::limits::Limits;
    use crate::input::source::{FileId, SourceFile};

    #[test]
    fn finds_organisations_by_id_name_or_alias() {
        let source = SourceFile::new(
            "o.yaml",
            None,
            "sources: [{id: s1, title: S}]\norganisations:\n  - {id: alphabet, name: Alphabet Inc., \
             kind: company, aliases: [Google]}\n",
        );
        let document = crate::input::yaml::parse(FileId::default(), &source, &Limits::default())
            .expect("yaml");
        let mut known = Known::default();
        known.add_document(&document);
        assert_eq!(known.organisation("alphabet"), Some("alphabet"));
        assert_eq!(known.organisation("Alphabet Inc"), Some("alphabet"));
        assert_eq!(known.organisation("GOOGLE"), Some("alphabet"));
        assert_eq!(known.organisation("Meta"), None);
        assert!(known.has_source("s1"));
    }
}
