//! Just enough of the OLE compound file format to find the workbook stream of an .xls the way
//! calamine finds it (the first directory entry named `Workbook` or `Book`, in any case,
//! whether or not the directory tree reaches it), so that its records can be checked before
//! calamine trusts them. Every chain is bounded by the number of sectors in the file.

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 2)
        .and_then(|s| <[u8; 2]>::try_from(s).ok())
        .map(u16::from_le_bytes)
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map(u32::from_le_bytes)
}

struct Ole<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
}

impl Ole<'_> {
    fn sector(&self, n: u32) -> Option<&[u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(self.sector)?;
        self.bytes.get(start..start.checked_add(self.sector)?)
    }

    /// The sectors of the chain from `start`; `None` on a loop or a sector outside the file.
    fn chain(&self, table: &[u32], start: u32) -> Option<Vec<u32>> {
        let mut out = Vec::new();
        let mut at = start;
        while at != END_OF_CHAIN && at != FREE {
            if out.len() > table.len() {
                return None;
            }
            out.push(at);
            at = *table.get(at as usize)?;
        }
        Some(out)
    }

    fn read_chain(&self, start: u32, limit: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for s in self.chain(&self.fat, start)? {
            if out.len() >= limit {
                break;
            }
            out.extend_from_slice(self.sector(s)?);
        }
        out.truncate(limit);
        Some(out)
    }
}

/// A compound file that does not hold together; `what` names the part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("复合文档结构损坏（{what}）")]
pub struct OleError {
    pub what: &'static str,
}

fn bad(what: &'static str) -> OleError {
    OleError { what }
}

/// The workbook stream, at most `limit` bytes of it; `Err` when the container is malformed,
/// `Ok(None)` when it has no workbook stream.
pub fn workbook_stream(bytes: &[u8], limit: usize) -> Result<Option<Vec<u8>>, OleError> {
    let shift = u16_at(bytes, 0x1E).ok_or_else(|| bad("文件头"))?;
    if shift != 9 && shift != 12 {
        return Err(bad("扇区大小"));
    }
    let sector = 1usize << shift;
    let sectors_in_file = bytes.len() / sector;
    let mut ole = Ole {
        bytes,
        sector,
        fat: Vec::new(),
    };
    ole.fat = fat(&ole, sectors_in_file)?;
    let dir_start = u32_at(bytes, 0x30).ok_or_else(|| bad("文件头"))?;
    let directory = ole
        .read_chain(dir_start, sectors_in_file.saturating_mul(sector))
        .ok_or_else(|| bad("目录链"))?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let find = |wanted: &str| {
        entries
            .iter()
            .find(|e| entry_name(e).eq_ignore_ascii_case(wanted))
            .copied()
    };
    let Some(entry) = find("Workbook").or_else(|| find("Book")) else {
        return Ok(None);
    };
    let start = u32_at(entry, 116).ok_or_else(|| bad("目录项"))?;
    let size = u32_at(entry, 120).ok_or_else(|| bad("目录项"))? as usize;
    let cutoff = u32_at(bytes, 0x38).unwrap_or(4096) as usize;
    let want = size.min(limit);
    if size >= cutoff {
        return ole
            .read_chain(start, want)
            .map(Some)
            .ok_or_else(|| bad("工作簿流的扇区链"));
    }
    let root = entries.first().ok_or_else(|| bad("根目录"))?;
    mini_stream(&ole, root, sectors_in_file, start, want).map(Some)
}

/// The FAT, gathered through the DIFAT: 109 entries in the header, then a chain of sectors.
fn fat(ole: &Ole, sectors_in_file: usize) -> Result<Vec<u32>, OleError> {
    let (bytes, sector) = (ole.bytes, ole.sector);
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
        .filter(|s| *s < FREE - 3)
        .collect();
    let mut difat = u32_at(bytes, 0x44).ok_or_else(|| bad("文件头"))?;
    let mut hops = 0;
    while difat < FREE - 3 {
        hops += 1;
        if hops > sectors_in_file {
            return Err(bad("DIFAT 循环"));
        }
        let s = ole.sector(difat).ok_or_else(|| bad("DIFAT 越界"))?;
        let per = sector / 4 - 1;
        fat_sectors.extend(
            (0..per)
                .filter_map(|i| u32_at(s, 4 * i))
                .filter(|x| *x < FREE - 3),
        );
        difat = u32_at(s, 4 * per).ok_or_else(|| bad("DIFAT"))?;
    }
    if fat_sectors.len() > sectors_in_file {
        return Err(bad("FAT 扇区数"));
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * sector / 4);
    for s in &fat_sectors {
        let data = ole.sector(*s).ok_or_else(|| bad("FAT 越界"))?;
        fat.extend((0..sector / 4).filter_map(|i| u32_at(data, 4 * i)));
    }
    Ok(fat)
}

/// A directory entry's name (UTF-16, at most 32 units).
fn entry_name(e: &[u8]) -> String {
    let len = usize::from(u16_at(e, 64).unwrap_or(0)).min(64);
    let units: Vec<u16> = (0..len / 2)
        .filter_map(|i| u16_at(e, 2 * i))
        .take_while(|u| *u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

/// A small stream, which lives in the mini stream (64-byte sectors with a table of their own).
fn mini_stream(
    ole: &Ole,
    root: &[u8],
    sectors_in_file: usize,
    start: u32,
    want: usize,
) -> Result<Vec<u8>, OleError> {
    let whole = sectors_in_file.saturating_mul(ole.sector);
    let stream = ole
        .read_chain(u32_at(root, 116).unwrap_or(END_OF_CHAIN), whole)
        .ok_or_else(|| bad("迷你流"))?;
    let table_bytes = ole
        .read_chain(u32_at(ole.bytes, 0x3C).unwrap_or(END_OF_CHAIN), whole)
        .ok_or_else(|| bad("迷你 FAT"))?;
    let table: Vec<u32> = (0..table_bytes.len() / 4)
        .filter_map(|i| u32_at(&table_bytes, 4 * i))
        .collect();
    let mut out = Vec::new();
    for s in ole.chain(&table, start).ok_or_else(|| bad("迷你扇区链"))? {
        let at = (s as usize).saturating_mul(64);
        out.extend_from_slice(stream.get(at..at + 64).ok_or_else(|| bad("迷你扇区越界"))?);
        if out.len() >= want {
            break;
        }
    }
    out.truncate(want);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_workbook_stream_of_a_real_xls() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/2026Q3/2026Q3_农牧局_填报表.xls"
        );
        let bytes = std::fs::read(path).unwrap();
        let stream = workbook_stream(&bytes, usize::MAX).unwrap().unwrap();
        // A BIFF8 workbook stream starts with a BOF record (0x0809).
        assert_eq!(&stream[..2], &[0x09, 0x08]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(workbook_stream(&[0u8; 10], 100).is_err());
        let mut header = vec![0u8; 1024];
        header[0x1E] = 9;
        assert!(
            workbook_stream(&header, 100).is_err(),
            "no FAT: the directory chain cannot be followed"
        );
    }
}
