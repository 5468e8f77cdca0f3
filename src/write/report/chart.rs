//! The chart of status by domain, drawn in Rust as a PNG. Chinese labels need a CJK font from
//! the system: a configured path first, then a list of common locations.

use crate::assess::{Counts, Status};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Where CJK fonts usually are (Debian/Ubuntu packages, macOS, Windows).
pub const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simsun.ttc",
];

/// Why a chart was not drawn (the report is written without it, saying why).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ChartError {
    #[error("指定的字体文件 {0} 无法读取")]
    FontUnreadable(String),
    #[error("没有找到中文字体（可用 --font 或环境变量 {FONT_ENV} 指定字体文件，或安装 fonts-wqy-microhei / fonts-noto-cjk）")]
    NoFont,
    #[error("字体文件无法解析")]
    FontUnusable,
    #[error("图表绘制失败：{0}")]
    Draw(String),
}

fn draw(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Environment variable naming a CJK font file, checked before the list above.
pub const FONT_ENV: &str = "ECO_CJK_FONT";

/// The font named by `configured` or `$ECO_CJK_FONT` (an error when it cannot be read: the
/// office asked for that one), otherwise the first readable one of [`FONT_CANDIDATES`].
pub fn find_font(configured: Option<&Path>) -> Result<(PathBuf, Vec<u8>), ChartError> {
    let read = |p: &Path| std::fs::read(p).ok().filter(|b| b.len() > 1024);
    let named = configured
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(FONT_ENV).map(PathBuf::from));
    if let Some(p) = named {
        return read(&p)
            .map(|b| (p.clone(), b))
            .ok_or_else(|| ChartError::FontUnreadable(p.display().to_string()));
    }
    FONT_CANDIDATES
        .iter()
        .map(PathBuf::from)
        .find_map(|p| read(&p).map(|b| (p, b)))
        .ok_or(ChartError::NoFont)
}

const FAMILY: &str = "eco-cjk";
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 700;

/// Registers the font with plotters once per process (it wants `'static` bytes: the font is
/// leaked, not copied — a CJK font file is 5–20 MB).
fn register(font: Vec<u8>) -> Result<(), ChartError> {
    static REGISTERED: std::sync::OnceLock<Result<(), ChartError>> = std::sync::OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            let bytes: &'static [u8] = Box::leak(font.into_boxed_slice());
            plotters::style::register_font(FAMILY, FontStyle::Normal, bytes)
                .map_err(|_| ChartError::FontUnusable)
        })
        .clone()
}

fn color(s: Status) -> RGBColor {
    let c = super::super::style::palette(s).strong;
    RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

/// A stacked column per domain; returns PNG bytes.
pub fn by_domain(domains: &[(String, Counts)], font: Vec<u8>) -> Result<Vec<u8>, ChartError> {
    register(font)?;
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw)?;
        let max = domains
            .iter()
            .map(|(_, c)| c.total())
            .max()
            .unwrap_or(1)
            .max(1)
            + 1;
        let n = domains.len().max(1) as i32;
        let mut chart = ChartBuilder::on(&root)
            // Full-width brackets come out spaced in this renderer: the unit is the y axis's.
            .caption("各领域指标达标情况", (FAMILY, 40))
            .margin(30)
            .x_label_area_size(60)
            .y_label_area_size(60)
            // Domain i's bar is centred on x = 10·i, where its label is drawn.
            .build_cartesian_2d(-5i32..n * 10 - 5, 0u32..max)
            .map_err(draw)?;
        let names: Vec<&str> = domains.iter().map(|(d, _)| d.as_str()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(domains.len())
            .x_label_formatter(&|x| {
                let i = usize::try_from(*x / 10).ok().filter(|_| *x % 10 == 0);
                i.and_then(|i| names.get(i))
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            })
            .y_desc("指标数")
            .x_label_style((FAMILY, 28))
            .y_label_style((FAMILY, 24))
            .draw()
            .map_err(draw)?;
        for (i, (_, c)) in domains.iter().enumerate() {
            let x = i as i32 * 10;
            let mut base = 0u32;
            for s in Status::ALL {
                let h = c.get(s);
                if h == 0 {
                    continue;
                }
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 3, base), (x + 3, base + h)],
                        color(s).filled(),
                    )))
                    .map_err(draw)?;
                base += h;
            }
        }
        for (i, s) in Status::ALL.iter().enumerate() {
            let y = 90 + i as i32 * 40;
            root.draw(&Rectangle::new(
                [(WIDTH as i32 - 170, y), (WIDTH as i32 - 145, y + 25)],
                color(*s).filled(),
            ))
            .map_err(draw)?;
            root.draw(&Text::new(s.label(), (WIDTH as i32 - 135, y), (FAMILY, 26)))
                .map_err(draw)?;
        }
        root.present().map_err(draw)?;
    }
    encode(&pixels)
}

fn encode(rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(draw)?;
        w.write_image_data(rgb).map_err(draw)?;
    }
    Ok(out)
}

/// The chart's pixel size, for laying it out.
pub fn size() -> (u32, u32) {
    (WIDTH, HEIGHT)
}

/// One line of the trend chart: its label and, per quarter, the share of its stage target
/// reached (%), `None` in a gap.
pub struct Line {
    pub label: String,
    pub points: Vec<Option<f64>>,
}

/// The strip right of the trend chart's plot that holds its legend, in pixels, and the
/// characters of a label on one of its lines.
const LEGEND_WIDTH: i32 = 380;
const LEGEND_CHARS: usize = 13;

/// The trend chart's y-axis ends here at most (five times the target).
const MAX_SHARE: f64 = 500.0;

const LINE_COLORS: [RGBColor; 6] = [
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0x76, 0xB7, 0xB2),
];

/// Lines of the unmet indicators across quarters, as a share of their stage target (so that
/// indicators of different units share one axis; 100 is the target), with the target drawn.
pub fn trend(quarters: &[String], lines: &[Line], font: Vec<u8>) -> Result<Vec<u8>, ChartError> {
    register(font)?;
    // An axis must be finite for plotters to find its key points (an infinite one never ends):
    // a share that is no number is a gap, and one far past the target is drawn at the top.
    let lines: Vec<Line> = lines
        .iter()
        .map(|l| Line {
            label: l.label.clone(),
            points: l
                .points
                .iter()
                .map(|p| p.filter(|v| v.is_finite()).map(|v| v.clamp(0.0, MAX_SHARE)))
                .collect(),
        })
        .collect();
    let lines = &lines[..];
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw)?;
        let n = quarters.len().max(1) as i32;
        let top = lines
            .iter()
            .flat_map(|l| l.points.iter().flatten())
            .fold(110.0f64, |m, v| m.max(*v + 10.0));
        let mut chart = ChartBuilder::on(&root)
            .caption("未达标指标向阶段目标的进展", (FAMILY, 40))
            .margin(30)
            // The legend has its own strip on the right: it never covers the lines.
            .margin_right(LEGEND_WIDTH)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d(-1i32..n, 0f64..top)
            .map_err(draw)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(quarters.len() + 2)
            .x_label_formatter(&|x| {
                usize::try_from(*x)
                    .ok()
                    .and_then(|i| quarters.get(i))
                    .cloned()
                    .unwrap_or_default()
            })
            .y_desc("占阶段目标值的百分比")
            .x_label_style((FAMILY, 22))
            .y_label_style((FAMILY, 24))
            .draw()
            .map_err(draw)?;
        chart
            .draw_series(LineSeries::new(
                vec![(-1, 100.0), (n, 100.0)],
                BLACK.stroke_width(2),
            ))
            .map_err(draw)?;
        for (i, line) in lines.iter().enumerate() {
            let c = LINE_COLORS
                .get(i % LINE_COLORS.len())
                .copied()
                .unwrap_or(BLACK);
            // A gap breaks the line: each run of consecutive quarters is drawn on its own.
            let mut run: Vec<(i32, f64)> = Vec::new();
            for (q, p) in line.points.iter().enumerate() {
                match p {
                    Some(v) => run.push((q as i32, *v)),
                    None => {
                        draw_run(&mut chart, &run, c)?;
                        run.clear();
                    }
                }
            }
            draw_run(&mut chart, &run, c)?;
            chart
                .draw_series(
                    line.points
                        .iter()
                        .enumerate()
                        .filter_map(|(q, p)| p.map(|v| Circle::new((q as i32, v), 6, c.filled()))),
                )
                .map_err(draw)?;
            // Up to three lines of a label: the strip is narrow, and names are not cut.
            let y = 90 + i as i32 * 92;
            let x = WIDTH as i32 - LEGEND_WIDTH + 20;
            root.draw(&Rectangle::new([(x, y), (x + 25, y + 6)], c.filled()))
                .map_err(draw)?;
            let chars: Vec<char> = line.label.chars().collect();
            for (k, part) in chars.chunks(LEGEND_CHARS).take(3).enumerate() {
                let text: String = part.iter().collect();
                root.draw(&Text::new(
                    text,
                    (x + 35, y - 10 + k as i32 * 28),
                    (FAMILY, 24),
                ))
                .map_err(draw)?;
            }
        }
        root.present().map_err(draw)?;
    }
    encode(&pixels)
}

type TrendChart<'a, 'b> = ChartContext<
    'a,
    BitMapBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordi32, plotters::coord::types::RangedCoordf64>,
>;

fn draw_run(chart: &mut TrendChart, run: &[(i32, f64)], c: RGBColor) -> Result<(), ChartError> {
    if run.len() >= 2 {
        chart
            .draw_series(LineSeries::new(run.to_vec(), c.stroke_width(3)))
            .map_err(draw)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scripts/test.sh installs a CJK font; without one this fails rather than passes empty.
    #[test]
    fn shares_that_are_no_finite_number_neither_hang_nor_fail_the_trend_chart() {
        let (_, font) = find_font(None).expect("a CJK font (scripts/test.sh installs one)");
        let quarters: Vec<String> = ["一", "二", "三", "四"].map(String::from).to_vec();
        let lines = [Line {
            label: "34 满意度".into(),
            points: vec![
                Some(1e308),
                Some(f64::INFINITY),
                Some(f64::NAN),
                Some(-1e308),
            ],
        }];
        let png = trend(&quarters, &lines, font).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }
}
