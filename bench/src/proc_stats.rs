//! CPU time and memory of a process, read from Linux's `/proc`.
//!
//! CPU time is `utime + stime` of `/proc/<pid>/stat` (fields 14 and 15,
//! in clock ticks, converted with `getconf CLK_TCK`); memory is `VmRSS`
//! (now) and `VmHWM` (the peak since the process started) of
//! `/proc/<pid>/status`.

use crate::BenchError;
use std::sync::OnceLock;

/// Clock ticks per second, as `getconf CLK_TCK` says (100 if it cannot).
fn ticks_per_second() -> u64 {
    static TICKS: OnceLock<u64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .filter(|t| *t > 0)
            .unwrap_or(100)
    })
}

fn read(path: &str) -> Result<String, BenchError> {
    std::fs::read_to_string(path).map_err(|source| BenchError::Io {
        what: format!("reading {path}"),
        source,
    })
}

fn malformed(path: &str) -> BenchError {
    BenchError::Io {
        what: format!("reading {path}"),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "unexpected format"),
    }
}

/// CPU time (user + system) the process `pid` has used so far, in ms.
pub fn cpu_ms(pid: u32) -> Result<f64, BenchError> {
    let path = format!("/proc/{pid}/stat");
    let text = read(&path)?;
    // The command name (field 2) may hold spaces: count from its `)`.
    let rest = text
        .rsplit_once(')')
        .map(|(_, r)| r)
        .ok_or_else(|| malformed(&path))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state), so utime (14) is index 11.
    let field = |i: usize| -> Result<u64, BenchError> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| malformed(&path))
    };
    let ticks = field(11)? + field(12)?;
    Ok(ticks as f64 * 1000.0 / ticks_per_second() as f64)
}

/// A process's resident memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Memory {
    /// Resident now (`VmRSS`), KiB.
    pub rss_kib: u64,
    /// The peak resident size since the process started (`VmHWM`), KiB.
    pub peak_kib: u64,
}

/// The resident memory of process `pid`.
pub fn memory(pid: u32) -> Result<Memory, BenchError> {
    let path = format!("/proc/{pid}/status");
    let text = read(&path)?;
    let kib = |key: &str| -> Result<u64, BenchError> {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| malformed(&path))
    };
    Ok(Memory {
        rss_kib: kib("VmRSS:")?,
        peak_kib: kib("VmHWM:")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_cpu_time_and_memory() {
        let pid = std::process::id();
        let spin: u64 = (0..2_000_000u64).fold(0, |a, b| a.wrapping_add(b * b));
        assert!(spin > 0);
        assert!(cpu_ms(pid).unwrap() >= 0.0);
        let m = memory(pid).unwrap();
        assert!(m.rss_kib > 0 && m.peak_kib >= m.rss_kib);
        assert!(cpu_ms(u32::MAX).is_err());
    }
}
