//! IMM objects and changes as the UCS elements every section of the generated campaign writes
//! (thesis §2.8.4, Chapter 6): `<added>` and CCB `<create>` of an object as the target defines
//! it, attributes typed in the XSD's `SA_IMM_ATTR_…` spelling, `<byName>` entity lists, CCB
//! `<modify>` of a VM's sponsors (catching and releasing, §6.5.1, §6.5.3) and the
//! `<targetEntityTemplate>` of a modified entity (§6.5.2).

use super::attr_types;
use super::out::El;
use crate::xml::imm::{Imm, ImmObject, parent_dn, rdns};

/// The IMM value type of attribute `name` in the XSD's `SA_IMM_ATTR_…` spelling: from a class
/// definition in the inputs, else OpenSAF's classes, else guessed from the values.
fn imm_type(imm: &Imm, class: &str, name: &str, values: &[String]) -> &'static str {
    let t = imm
        .class(class)
        .and_then(|c| c.attr(name))
        .map(|a| a.value_type.clone())
        .or_else(|| {
            attr_types::ATTR_TYPES
                .binary_search_by(|(n, _)| n.cmp(&name))
                .ok()
                .map(|i| attr_types::ATTR_TYPES[i].1.to_string())
        });
    match t.as_deref() {
        Some("SA_NAME_T") => "SA_IMM_ATTR_SANAMET",
        Some("SA_STRING_T") => "SA_IMM_ATTR_SASTRINGT",
        Some("SA_UINT32_T") => "SA_IMM_ATTR_SAUINT32T",
        Some("SA_INT32_T") => "SA_IMM_ATTR_SAINT32T",
        Some("SA_UINT64_T") => "SA_IMM_ATTR_SAUINT64T",
        Some("SA_INT64_T") => "SA_IMM_ATTR_SAINT64T",
        Some("SA_TIME_T") => "SA_IMM_ATTR_SATIMET",
        Some("SA_FLOAT_T") => "SA_IMM_ATTR_SAFLOATT",
        Some("SA_DOUBLE_T") => "SA_IMM_ATTR_SADOUBLET",
        Some("SA_ANY_T") => "SA_IMM_ATTR_SAANYT",
        _ if values.iter().all(|v| v.contains('=')) => "SA_IMM_ATTR_SANAMET",
        _ if values.iter().all(|v| v.parse::<u32>().is_ok()) => "SA_IMM_ATTR_SAUINT32T",
        _ => "SA_IMM_ATTR_SASTRINGT",
    }
}

fn attribute(imm: &Imm, class: &str, name: &str, values: &[String]) -> El {
    El::new("attribute")
        .attr("name", name)
        .attr("type", imm_type(imm, class, name, values))
        .children(values.iter().map(|v| El::new("value").text(v)))
}

/// `<added>` / CCB `<create>` of an object as the target configuration defines it.
pub(super) fn create(tag: &'static str, imm: &Imm, o: &ImmObject) -> El {
    let mut el = El::new(tag)
        .attr("objectClassName", &o.class)
        // A root object's parent is written "=" (OpenSAF's campaigns; the XSD needs a SaNameT).
        .attr("parentObjectDN", parent_dn(&o.dn).unwrap_or("="));
    let rdn = rdns(&o.dn)[0];
    let key = rdn.split('=').next().unwrap_or("");
    el.push(attribute(imm, &o.class, key, &[rdn.to_string()]));
    for a in o
        .attrs
        .iter()
        .filter(|a| a.name != key && !a.values.is_empty())
    {
        el.push(attribute(imm, &o.class, &a.name, &a.values));
    }
    el
}

pub(super) fn by_name(dns: impl IntoIterator<Item = String>) -> Vec<El> {
    dns.into_iter()
        .map(|d| El::new("byName").attr("objectDN", d))
        .collect()
}

/// CCB `<modify>` replacing the sponsors of VM dependency `dep_dn`.
pub(super) fn dep_modify(dep_dn: &str, sponsors: &[String]) -> El {
    El::new("modify")
        .attr("objectDN", dep_dn)
        .attr("operation", "SA_IMM_ATTR_VALUES_REPLACE")
        .child(
            El::new("attribute")
                .attr("name", "saPlmDepNames")
                .attr("type", "SA_IMM_ATTR_SANAMET")
                .children(sponsors.iter().map(|v| El::new("value").text(v))),
        )
}

pub(super) fn ccb(ops: Vec<El>) -> El {
    El::new("immCCB").attr("ccbFlags", "0").children(ops)
}

/// `<targetEntityTemplate>`: on the entities of type `ty`, replace every attribute that differs
/// between `a` (source) and `b` (target).
pub(super) fn template(imm: &Imm, ty: &str, a: &ImmObject, b: &ImmObject) -> El {
    let mut mo = El::new("modifyOperation").attr("operation", "SA_IMM_ATTR_VALUES_REPLACE");
    for attr in &b.attrs {
        if a.values(&attr.name) != attr.values.as_slice() && !attr.values.is_empty() {
            mo.push(attribute(imm, &b.class, &attr.name, &attr.values));
        }
    }
    El::new("targetEntityTemplate")
        .child(El::new("type").attr("objectDN", ty))
        .child(mo)
}
