//! Custom actions (UCS `actionT`: campaign initialization, completion and wrap-up, procedure
//! initialization and wrap-up; thesis §2.8.4): an administrative operation with its undo, a CCB
//! of IMM changes, a CLI command with its undo, or a callback. The IMM changes keep their value
//! types and operations because the campaign model applies them to the configuration.

#[derive(Clone, Debug, PartialEq)]
pub struct Cli {
    pub command: String,
    pub args: Option<String>,
}

/// An SMF callback (`callbackOptionsT`).
#[derive(Clone, Debug, PartialEq)]
pub struct Callback {
    pub label: String,
    pub time: Option<i64>,
    pub string_to_pass: Option<String>,
    pub line: usize,
}

/// A custom action (`actionT`): campaign init/complete/wrap-up, procedure init/wrap-up.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomAction {
    pub kind: CustomActionKind,
    pub line: usize,
}

/// The four alternatives of `actionT`.
#[derive(Clone, Debug, PartialEq)]
pub enum CustomActionKind {
    Admin {
        forward: AdminOperation,
        undo: AdminOperation,
    },
    Ccb(Ccb),
    Cli {
        forward: Cli,
        undo: Cli,
        exec_envs: Vec<ExecEnv>,
    },
    Callback(Callback),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdminOperation {
    pub object_dn: Option<String>,
    pub operation: Option<String>,
    pub params: Vec<AdminParam>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdminParam {
    pub name: String,
    pub value_type: ValueType,
    pub value: String,
}

/// `immCCB`: IMM operations applied as one configuration change bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct Ccb {
    pub flags: u64,
    pub ops: Vec<CcbOp>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CcbOp {
    Create(ImmCreate),
    Delete { dn: String, line: usize },
    Modify(ImmModify),
}

/// An IMM object creation (`immCreateT`: `create`, `added`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmCreate {
    pub class: String,
    pub parent_dn: String,
    pub attributes: Vec<ImmAttribute>,
    pub line: usize,
}

/// An IMM modification of one object (`immCCB/modify`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmModify {
    pub dn: String,
    pub operation: ModifyKind,
    pub attributes: Vec<ImmAttribute>,
    pub line: usize,
}

/// An attribute with its values (`attribute`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmAttribute {
    pub name: String,
    pub value_type: ValueType,
    pub values: Vec<String>,
}

/// `SaImmValueTypeT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Int32,
    Uint32,
    Int64,
    Uint64,
    Time,
    Name,
    Float,
    Double,
    String,
    Any,
}

/// `modifyOperationT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModifyKind {
    Add,
    Delete,
    Replace,
}

/// `plmExecEnv`: where a CLI command or a bundle operation runs.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExecEnv {
    pub plm_ee: Option<String>,
    pub clm_node: Option<String>,
    pub amf_node: Option<String>,
}
