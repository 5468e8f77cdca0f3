//! The portal's short 公文, in the report's GB/T 9704 layout and the office's settings: the
//! 催报通知 naming the units that still owe their return, and each unit's 链接通知 with its
//! link and the link's QR code.

use super::docx::{font_table, masthead, signature};
use super::typeset::{body, body_spacing, fonts, run, FANGSONG, SIZE_2, SIZE_3, XIAOBIAOSONG};
use super::ReportError;
use crate::office::{Day, Office};
use crate::period::Period;
use docx_rs::{AlignmentType, Docx, LineSpacing, LineSpacingType, Paragraph, Pic, Run};
use std::io::Cursor;

/// A unit the 催报通知 names, and what it owes.
#[derive(Debug, Clone)]
pub struct Owing {
    pub unit: String,
    pub owes: String,
}

/// The period's 截止时间 as a notice writes it, and whether it has passed.
#[derive(Debug, Clone, Copy)]
pub struct Deadline<'a> {
    /// `2026年10月15日 17:00`.
    pub words: &'a str,
    pub passed: bool,
}

/// 催报通知: the units that have not submitted, whose return has errors or was sent back,
/// with the deadline and what to do.
pub fn urge(
    office: &Office,
    county: &str,
    period: Period,
    deadline: Option<Deadline>,
    owing: &[Owing],
    date: Day,
) -> Result<Vec<u8>, ReportError> {
    let what = format!("{}指标数据", period.chinese());
    let title = format!(
        "关于催报{}国家生态文明建设示范旗指标数据的通知",
        period.chinese()
    );
    let mut doc = page(office, &title, date);
    let recipients: Vec<&str> = owing.iter().map(|o| o.unit.as_str()).collect();
    if !recipients.is_empty() {
        doc = doc.add_paragraph(addressee(&format!("{}：", recipients.join("、"))));
    }
    let deadline_text = match deadline {
        Some(d) if d.passed => format!("截止时间为{}，现已过截止时间", d.words),
        Some(d) => format!("截止时间为{}", d.words),
        None => "截止时间以分局通知为准".to_string(),
    };
    let opening = if owing.is_empty() {
        format!(
            "截至{}，各单位{what}均已报送并通过校验，无需催报。",
            date.chinese()
        )
    } else {
        format!(
            "{county}创建国家生态文明建设示范旗{what}填报工作{deadline_text}。截至{}，下列{}个单位尚未完成报送：",
            date.chinese(),
            owing.len()
        )
    };
    doc = doc.add_paragraph(body(&opening));
    for (i, o) in owing.iter().enumerate() {
        doc = doc.add_paragraph(body(&format!("{}. {}：{}。", i + 1, o.unit, o.owes)));
    }
    if !owing.is_empty() {
        doc = doc.add_paragraph(body(&format!(
            "请上述单位{}，用本单位的专用填报链接下载填报表，按填报说明填写后上传；页面会立即列出需要修改之处，退回修改的，请按页面所列意见和退回修改的填报表改正后重新上传。逾期报送的，将在评估报告“数据填报质量”中注明。",
            match deadline {
                Some(d) if !d.passed => format!("于{}前", d.words),
                _ => "尽快".to_string(),
            }
        )));
    }
    pack(
        signature(doc, &office.issuer, &date.chinese(), &office.contact),
        office,
    )
}

/// A unit's 链接通知: its name, its link (which is its password), the QR code of the link,
/// the deadline and what to do.
pub fn link_notice(
    office: &Office,
    county: &str,
    unit: &str,
    url: &str,
    deadline: Option<&str>,
    date: Day,
) -> Result<Vec<u8>, ReportError> {
    let mut doc = page(
        office,
        "关于使用国家生态文明建设示范旗指标填报门户的通知",
        date,
    );
    doc = doc.add_paragraph(addressee(&format!("{unit}：")));
    doc = doc.add_paragraph(body(&format!(
        "为做好{county}创建国家生态文明建设示范旗指标的季度填报，{}开通了指标填报门户。本单位的专用填报链接如下（在单位内网中也可扫描下方二维码打开）：",
        office.issuer
    )));
    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(run(url, FANGSONG, 24))
            .align(AlignmentType::Center)
            .line_spacing(body_spacing()),
    );
    if let Some(png) = qr_png(url) {
        let side = (45.0 * 36_000.0) as u32; // 45 mm
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(
                    Run::new()
                        .fonts(fonts(FANGSONG))
                        .add_image(Pic::new(&png).size(side, side)),
                )
                .align(AlignmentType::Center),
        );
    }
    let steps = [
        "用单位内网的电脑打开上面的链接，进入本单位的填报页面。".to_string(),
        "在页面上下载本单位本期的空白填报表，在黄色单元格中填写。".to_string(),
        "填好后在同一页面上传，页面会立即列出检查结果；有错误的，按说明改正后重新上传，以最后一次为准。".to_string(),
        match deadline {
            Some(d) => format!("本期截止时间为{d}，逾期上传的将注明逾期。"),
            None => "截止时间另行通知，届时填报页面上也会显示。".to_string(),
        },
    ];
    for (i, s) in steps.iter().enumerate() {
        doc = doc.add_paragraph(body(&format!("{}. {s}", i + 1)));
    }
    doc = doc.add_paragraph(body(
        &format!("这个链接就是本单位的密码：凭它即可替本单位上传，请只交给本单位的填报人员，不要转发、公开或张贴。链接遗失或外泄的，请联系{}重新生成，旧链接随即失效。", office.issuer),
    ));
    pack(
        signature(doc, &office.issuer, &date.chinese(), &office.contact),
        office,
    )
}

/// An A4 page with the 公文 margins and fonts, the 版头 when the office has a 发文字号, and
/// the title.
fn page(office: &Office, title: &str, date: Day) -> Docx {
    let doc = super::typeset::a4_document(&date.iso());
    masthead(doc, office)
        .add_paragraph(
            Paragraph::new()
                .add_run(run(title, XIAOBIAOSONG, SIZE_2))
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(700),
                ),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(run("", FANGSONG, SIZE_3))
                .line_spacing(body_spacing()),
        )
}

/// The 主送 line: flush left, no indent.
fn addressee(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANGSONG, SIZE_3))
        .line_spacing(body_spacing())
}

fn pack(doc: Docx, office: &Office) -> Result<Vec<u8>, ReportError> {
    let mut xml = doc.build();
    xml.font_table = font_table().into_bytes();
    let mut packed = Cursor::new(Vec::new());
    xml.pack(&mut packed)
        .map_err(|e| ReportError::Pack(e.to_string()))?;
    Ok(super::schema_order::order_package_by(
        &packed.into_inner(),
        &office.issuer,
    )?)
}

/// The QR code of `text` as a black-on-white PNG, 8 pixels a module with the standard
/// four-module quiet zone. `None` if the text is too long for a QR code.
pub fn qr_png(text: &str) -> Option<Vec<u8>> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = (i % modules + QUIET, i / modules + QUIET);
            for dy in 0..SCALE {
                let row = (y * SCALE + dy) * side;
                if let Some(run) = pixels.get_mut(row + x * SCALE..row + (x + 1) * SCALE) {
                    run.fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().ok()?;
        writer.write_image_data(&pixels).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_notice_carries_the_link_and_its_qr_code() {
        let office = Office::load(None).unwrap();
        let url = "http://192.168.1.10:8080/u/0123456789abcdef0123456789abcdef0123456789abcdef";
        let png = qr_png(url).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let day = Day {
            year: 2026,
            month: 10,
            day: 8,
        };
        let docx = link_notice(
            &office,
            "土默特左旗",
            "水务局",
            url,
            Some("2026年10月15日 17:00"),
            day,
        )
        .unwrap();
        let text = String::from_utf8_lossy(&docx);
        assert!(text.contains("word/media/"), "the QR code is embedded");
        let urge_doc = urge(
            &office,
            "土默特左旗",
            Period::parse("2026Q3").unwrap(),
            None,
            &[],
            day,
        )
        .unwrap();
        assert!(!urge_doc.is_empty());
        let owing = [Owing {
            unit: "财政局".into(),
            owes: "未报送".into(),
        }];
        let passed = Deadline {
            words: "2026年10月1日 17:00",
            passed: true,
        };
        let late = urge(
            &office,
            "土默特左旗",
            Period::parse("2026Q3").unwrap(),
            Some(passed),
            &owing,
            day,
        )
        .unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(late)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(
            xml.contains("现已过截止时间") && xml.contains("尽快"),
            "a passed deadline is not asked for again"
        );
        assert!(!xml.contains("于2026年10月1日"), "{xml}");
    }
}
