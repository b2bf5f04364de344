//! The timed metadata IVS puts in each live segment, which the IVS player reads its live latency
//! from.
//!
//! An IVS segment carries an ID3 tag at its first frame, in a metadata stream its program map
//! declares, whose `TXXX` frame `segmentmetadata` holds JSON: `"cmd":"ld_lat_data"` with when
//! the frame reached ingest (`ingest_r`) and the transcoder (`transc_r`) and left it
//! (`transc_s`), in milliseconds since the epoch. With the server's clock, which the
//! multivariant playlist gives (`SERVER-TIME`, see `playlists.rs`), the player works out how far
//! behind live the frame on screen is: `getLiveLatency()`, which the app shows and which the
//! player's own catch-up in low-latency mode goes by. Without it the player reads 0. (The player
//! acts on the times only under that `cmd`, as its worker's code shows; `transc_r` alone is
//! shown as a metadata cue and nothing more.) Locally the three times are one: when the
//! segment's first frame reached nginx-rtmp, which writes the source and the ladder's rungs.
//!
//! nginx-rtmp writes segments without it, so the local stack adds it as it serves them: the
//! program map gains the metadata stream (ID3 in PES, as Apple's "Timed Metadata for HTTP Live
//! Streaming" lays out, which players read), and one packet after it carries the tag, timed at
//! the segment's first frame. Only the segment's first packets change; a segment not laid out as
//! expected is served as it is.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;

/// Bytes to read a whole segment after for [`stamp_whole`]: the metadata adds one packet.
pub const ROOM: usize = PACKET;

/// A whole segment, read after [`ROOM`] bytes kept free, with the metadata when its first frame's
/// arrival is known and it is laid out as expected. The one packet the metadata adds goes into
/// the room, so the segment (hundreds of kilobytes) is never moved to make space for it.
pub fn stamp_whole(mut room_and_segment: Vec<u8>, received: Option<SystemTime>) -> Bytes {
    let stamped =
        received.and_then(
            |received| match stamp(room_and_segment.get(ROOM..)?, received) {
                Head::Stamped { head, replaces } => {
                    let from = (ROOM + replaces).checked_sub(head.len())?;
                    Some((from, head, replaces))
                }
                Head::Incomplete | Head::Unchanged => None,
            },
        );
    let from = match stamped {
        Some((from, head, replaces)) => {
            room_and_segment[from..ROOM + replaces].copy_from_slice(&head);
            from
        }
        None => ROOM.min(room_and_segment.len()),
    };
    Bytes::from(room_and_segment).slice(from..)
}

/// A segment being written, stamped as it is read: its first pieces are held until its start
/// tells what it becomes.
pub struct Stamping {
    received: Option<SystemTime>,
    held: Vec<u8>,
    decided: bool,
}

impl Stamping {
    /// For a segment whose first frame arrived at `received`; `None` when that is not known,
    /// and the segment passes as it is.
    pub fn new(received: Option<SystemTime>) -> Self {
        Self {
            decided: received.is_none(),
            received,
            held: Vec::new(),
        }
    }

    /// What to send of the segment now that `piece` was read of it.
    pub fn pass(&mut self, piece: Bytes) -> Option<Bytes> {
        if self.decided {
            return Some(piece);
        }
        self.held.extend_from_slice(&piece);
        let received = self.received?;
        match stamp(&self.held, received) {
            Head::Incomplete => None,
            Head::Stamped { head, replaces } => {
                self.decided = true;
                let mut start = std::mem::take(&mut self.held);
                start.splice(..replaces, head);
                Some(Bytes::from(start))
            }
            Head::Unchanged => {
                self.decided = true;
                Some(Bytes::from(std::mem::take(&mut self.held)))
            }
        }
    }

    /// What is still held once the segment is complete (too short to tell).
    pub fn rest(&mut self) -> Option<Bytes> {
        self.decided = true;
        (!self.held.is_empty()).then(|| Bytes::from(std::mem::take(&mut self.held)))
    }
}

/// An MPEG transport stream packet's size; each starts with [`SYNC`].
const PACKET: usize = 188;
const SYNC: u8 = 0x47;
/// The program association table's PID.
const PAT_PID: u16 = 0;
/// `stream_type` of metadata carried in PES packets, and `stream_id` of its PES packets
/// (private_stream_1), as the timed-metadata layout names them.
const METADATA_STREAM_TYPE: u8 = 0x15;
const PRIVATE_STREAM_1: u8 = 0xBD;
/// `stream_type` of video: MPEG-2, H.264, H.265.
const VIDEO_STREAM_TYPES: [u8; 3] = [0x02, 0x1B, 0x24];
/// The first PID an elementary stream may take (those below are reserved or tables').
const FIRST_STREAM_PID: u16 = 0x100;
/// How much of a segment's start is looked through for its program map and first frame:
/// nginx-rtmp writes them in its first three packets.
const LOOK_AT_MOST: usize = 64 * PACKET;

/// What a segment's start becomes.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    /// More of the segment is needed to tell (it is still being written).
    Incomplete,
    /// The first `replaces` bytes are to be sent as `head` (with the metadata).
    Stamped { head: Vec<u8>, replaces: usize },
    /// Served as it is: not a segment laid out as expected, or it has metadata already.
    Unchanged,
}

/// The start of segment `start` with the timed metadata saying its first frame arrived at
/// `received`.
pub fn stamp(start: &[u8], received: SystemTime) -> Head {
    let mut pmt_pid = None;
    let mut program = None;
    for (index, packet) in start.chunks_exact(PACKET).enumerate() {
        if packet[0] != SYNC {
            return Head::Unchanged;
        }
        let Some(header) = PacketHeader::read(packet) else {
            return Head::Unchanged;
        };
        match (&program, pmt_pid) {
            _ if !header.unit_start => {}
            (None, None) if header.pid == PAT_PID => match first_program_map(header.payload) {
                Some(pid) => pmt_pid = Some(pid),
                None => return Head::Unchanged,
            },
            (None, Some(pid)) if header.pid == pid => match ProgramMap::read(header.payload) {
                Some(map) if !map.has_metadata() => program = Some((index, header, map)),
                _ => return Head::Unchanged,
            },
            (Some((map_index, map_header, map)), _) if map.times_by(header.pid) => {
                let Some(pts) = first_pts(header.payload) else {
                    return Head::Unchanged;
                };
                return stamped(start, *map_index, map_header, map, pts, received);
            }
            _ => {}
        }
    }
    if start.len() >= LOOK_AT_MOST {
        Head::Unchanged
    } else {
        Head::Incomplete
    }
}

/// `start` with its program map (packet `map_index`) declaring the metadata stream, and the
/// tag's packet after it.
fn stamped(
    start: &[u8],
    map_index: usize,
    map_header: &PacketHeader,
    map: &ProgramMap,
    pts: u64,
    received: SystemTime,
) -> Head {
    let metadata_pid = map.free_pid();
    let (Some(map_packet), Some(tag_packet)) = (
        map.with_metadata(metadata_pid).packet(map_header),
        metadata_packet(metadata_pid, pts, &segment_metadata(received)),
    ) else {
        return Head::Unchanged;
    };
    let replaces = (map_index + 1) * PACKET;
    let mut head = Vec::with_capacity(replaces + PACKET);
    head.extend_from_slice(&start[..map_index * PACKET]);
    head.extend_from_slice(&map_packet);
    head.extend_from_slice(&tag_packet);
    Head::Stamped { head, replaces }
}

/// A packet's header fields that matter here, and its payload.
#[derive(Debug)]
struct PacketHeader<'a> {
    pid: u16,
    unit_start: bool,
    continuity: u8,
    payload: &'a [u8],
}

impl<'a> PacketHeader<'a> {
    fn read(packet: &'a [u8]) -> Option<Self> {
        let pid = u16::from_be_bytes([packet[1] & 0x1F, packet[2]]);
        let unit_start = packet[1] & 0x40 != 0;
        let control = (packet[3] >> 4) & 0b11;
        let continuity = packet[3] & 0x0F;
        let payload_at = match control {
            0b01 => 4,
            0b11 => 5 + usize::from(packet[4]),
            // Adaptation field only, or reserved: no payload.
            _ => PACKET,
        };
        Some(Self {
            pid,
            unit_start,
            continuity,
            payload: packet.get(payload_at..)?,
        })
    }
}

/// The section a table packet's payload starts (after its pointer field), up to its length.
fn section(payload: &[u8]) -> Option<&[u8]> {
    let pointer = usize::from(*payload.first()?);
    let section = payload.get(1 + pointer..)?;
    let length = usize::from(u16::from_be_bytes([*section.get(1)?, *section.get(2)?]) & 0x0FFF);
    let section = section.get(..3 + length)?;
    (length >= 9 && crc(&section[..section.len() - 4]) == read_u32(&section[section.len() - 4..]))
        .then_some(section)
}

/// The program map's PID of the first program the association table names.
fn first_program_map(payload: &[u8]) -> Option<u16> {
    let section = section(payload)?;
    if section[0] != 0x00 {
        return None;
    }
    section[8..section.len() - 4]
        .chunks_exact(4)
        .find(|entry| u16::from_be_bytes([entry[0], entry[1]]) != 0)
        .map(|entry| u16::from_be_bytes([entry[2] & 0x1F, entry[3]]))
}

/// A program map section, taken apart.
#[derive(Debug, Clone)]
struct ProgramMap {
    /// From `program_number` to `last_section_number`.
    fixed: [u8; 5],
    pcr_pid: u16,
    program_info: Vec<u8>,
    streams: Vec<Stream>,
}

#[derive(Debug, Clone)]
struct Stream {
    kind: u8,
    pid: u16,
    info: Vec<u8>,
}

impl ProgramMap {
    fn read(payload: &[u8]) -> Option<Self> {
        let section = section(payload)?;
        if section[0] != 0x02 {
            return None;
        }
        let body = &section[..section.len() - 4];
        let pcr_pid = u16::from_be_bytes([*body.get(8)? & 0x1F, *body.get(9)?]);
        let info_length =
            usize::from(u16::from_be_bytes([*body.get(10)?, *body.get(11)?]) & 0x0FFF);
        let program_info = body.get(12..12 + info_length)?.to_vec();
        let mut streams = Vec::new();
        let mut rest = &body[12 + info_length..];
        while !rest.is_empty() {
            let entry = rest.get(..5)?;
            let length = usize::from(u16::from_be_bytes([entry[3], entry[4]]) & 0x0FFF);
            streams.push(Stream {
                kind: entry[0],
                pid: u16::from_be_bytes([entry[1] & 0x1F, entry[2]]),
                info: rest.get(5..5 + length)?.to_vec(),
            });
            rest = &rest[5 + length..];
        }
        Some(Self {
            fixed: body[3..8].try_into().ok()?,
            pcr_pid,
            program_info,
            streams,
        })
    }

    fn has_metadata(&self) -> bool {
        self.streams.iter().any(|s| s.kind == METADATA_STREAM_TYPE)
    }

    /// Whether the segment's frames are timed by `pid`'s: the video's, or, in a program without
    /// video, any stream's (nginx-rtmp may write audio before the first picture).
    fn times_by(&self, pid: u16) -> bool {
        let is_video = |kind: u8| VIDEO_STREAM_TYPES.contains(&kind);
        let has_video = self.streams.iter().any(|s| is_video(s.kind));
        self.streams
            .iter()
            .any(|s| s.pid == pid && (is_video(s.kind) || !has_video))
    }

    /// A PID no stream of the program uses.
    fn free_pid(&self) -> u16 {
        let highest = self.streams.iter().map(|s| s.pid).max().unwrap_or(0);
        highest.max(self.pcr_pid).max(FIRST_STREAM_PID - 1) + 1
    }

    /// The map with the ID3 metadata stream on `pid` added: a metadata pointer for the program
    /// and a metadata stream with its descriptor.
    fn with_metadata(&self, pid: u16) -> Self {
        let mut map = self.clone();
        map.program_info.extend_from_slice(&[0x25, 15]);
        map.program_info.extend_from_slice(&ID3_FORMAT);
        map.program_info.extend_from_slice(&[0x00, 0x1F]);
        map.program_info.extend_from_slice(&self.fixed[..2]);
        let mut info = vec![0x26, 13];
        info.extend_from_slice(&ID3_FORMAT);
        info.extend_from_slice(&[0x00, 0x0F]);
        map.streams.push(Stream {
            kind: METADATA_STREAM_TYPE,
            pid,
            info,
        });
        map
    }

    /// The map as the one packet it was in (`header`'s PID and counter); `None` if it no longer
    /// fits in one.
    fn packet(&self, header: &PacketHeader) -> Option<Vec<u8>> {
        let mut body = vec![0x02, 0, 0];
        body.extend_from_slice(&self.fixed);
        body.extend_from_slice(&(0xE000 | self.pcr_pid).to_be_bytes());
        body.extend_from_slice(
            &(0xF000 | u16::try_from(self.program_info.len()).ok()?).to_be_bytes(),
        );
        body.extend_from_slice(&self.program_info);
        for stream in &self.streams {
            body.push(stream.kind);
            body.extend_from_slice(&(0xE000 | stream.pid).to_be_bytes());
            body.extend_from_slice(
                &(0xF000 | u16::try_from(stream.info.len()).ok()?).to_be_bytes(),
            );
            body.extend_from_slice(&stream.info);
        }
        // The length counts what follows it, the CRC included; the top bits say "syntax, MPEG".
        let length = u16::try_from(body.len() - 3 + 4).ok()?;
        body[1..3].copy_from_slice(&(0xB000 | length).to_be_bytes());
        let check = crc(&body);
        body.extend_from_slice(&check.to_be_bytes());
        let mut packet = packet_start(header.pid, true, false, header.continuity);
        packet.push(0); // pointer field: the section starts at once
        packet.extend_from_slice(&body);
        (packet.len() <= PACKET).then(|| {
            packet.resize(PACKET, 0xFF);
            packet
        })
    }
}

/// `metadata_application_format` and `metadata_format` with their identifiers, ID3 both, as the
/// program's metadata pointer and the stream's metadata descriptor start.
const ID3_FORMAT: [u8; 11] = [
    0xFF, 0xFF, b'I', b'D', b'3', b' ', 0xFF, b'I', b'D', b'3', b' ',
];

/// The presentation time of the PES packet `payload` starts; `None` if it has none.
fn first_pts(payload: &[u8]) -> Option<u64> {
    if payload.get(..3)? != [0, 0, 1] || payload.get(7)? & 0x80 == 0 {
        return None;
    }
    let p = payload.get(9..14)?;
    Some(
        (u64::from(p[0] >> 1) & 0x07) << 30
            | u64::from(p[1]) << 22
            | u64::from(p[2] >> 1) << 15
            | u64::from(p[3]) << 7
            | u64::from(p[4] >> 1),
    )
}

/// The ID3 tag IVS gives a segment: a `TXXX` frame `segmentmetadata` with when its first frame
/// arrived (milliseconds since the epoch).
fn segment_metadata(received: SystemTime) -> Vec<u8> {
    let millis = received
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as u64);
    let mut frame_body = vec![0x03]; // UTF-8
    frame_body.extend_from_slice(b"segmentmetadata\0");
    let times = serde_json::json!({
        "cmd": "ld_lat_data",
        "ingest_r": millis,
        "transc_r": millis,
        "transc_s": millis,
    });
    frame_body.extend_from_slice(times.to_string().as_bytes());
    let mut tag = b"ID3\x04\x00\x00".to_vec();
    tag.extend_from_slice(&synchsafe(10 + frame_body.len()));
    tag.extend_from_slice(b"TXXX");
    tag.extend_from_slice(&synchsafe(frame_body.len()));
    tag.extend_from_slice(&[0, 0]);
    tag.extend_from_slice(&frame_body);
    tag
}

/// An ID3v2.4 size: 28 bits, seven to a byte.
fn synchsafe(size: usize) -> [u8; 4] {
    [21, 14, 7, 0].map(|shift| ((size >> shift) & 0x7F) as u8)
}

/// The packet carrying `tag` on `pid` at presentation time `pts`; `None` if it does not fit in
/// one packet.
fn metadata_packet(pid: u16, pts: u64, tag: &[u8]) -> Option<Vec<u8>> {
    let mut pes = vec![0, 0, 1, PRIVATE_STREAM_1];
    pes.extend_from_slice(&u16::try_from(8 + tag.len()).ok()?.to_be_bytes());
    // Marker bits and "aligned", then "a PTS", then the header's remaining length.
    pes.extend_from_slice(&[0x84, 0x80, 5]);
    pes.extend_from_slice(&[
        0x21 | ((pts >> 29) & 0x0E) as u8,
        (pts >> 22) as u8,
        0x01 | ((pts >> 14) & 0xFE) as u8,
        (pts >> 7) as u8,
        0x01 | ((pts << 1) & 0xFE) as u8,
    ]);
    pes.extend_from_slice(tag);
    let room = PACKET - 4;
    let stuffing = room.checked_sub(pes.len())?;
    let mut packet = packet_start(pid, true, stuffing > 0, 0);
    if stuffing > 0 {
        // An adaptation field of `stuffing` bytes fills the packet: its length, then no flags
        // and padding.
        packet.push((stuffing - 1) as u8);
        if stuffing > 1 {
            packet.push(0x00);
            packet.resize(packet.len() + stuffing - 2, 0xFF);
        }
    }
    packet.extend_from_slice(&pes);
    Some(packet)
}

/// A packet's 4-byte header.
fn packet_start(pid: u16, unit_start: bool, adaptation: bool, continuity: u8) -> Vec<u8> {
    let [high, low] = pid.to_be_bytes();
    let control = if adaptation { 0x30 } else { 0x10 };
    vec![
        SYNC,
        if unit_start { 0x40 } else { 0 } | (high & 0x1F),
        low,
        control | (continuity & 0x0F),
    ]
}

fn read_u32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// The CRC MPEG tables end with.
fn crc(bytes: &[u8]) -> u32 {
    const MPEG_2: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_MPEG_2);
    MPEG_2.checksum(bytes)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// A table packet as nginx-rtmp writes it: header, pointer field, section, padding.
    fn table_packet(pid: u16, section: &[u8]) -> Vec<u8> {
        let mut packet = packet_start(pid, true, false, 0);
        packet.push(0);
        packet.extend_from_slice(section);
        packet.resize(PACKET, 0xFF);
        packet
    }

    /// The start of a segment as nginx-rtmp writes it: its fixed association table and program
    /// map (H.264 on PID 0x100, AAC on 0x101, the map on 0x1001; CRCs as nginx-rtmp has them),
    /// then the first video frame's packet at `pts`, with a PCR.
    fn nginx_segment(pts: u64) -> Vec<u8> {
        let mut segment = table_packet(
            0,
            &[
                0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00, 0x00, 0x01, 0xF0, 0x01, 0x2E, 0x70,
                0x19, 0x05,
            ],
        );
        segment.extend(table_packet(
            0x1001,
            &[
                0x02, 0xB0, 0x17, 0x00, 0x01, 0xC1, 0x00, 0x00, 0xE1, 0x00, 0xF0, 0x00, 0x1B, 0xE1,
                0x00, 0xF0, 0x00, 0x0F, 0xE1, 0x01, 0xF0, 0x00, 0x2F, 0x44, 0xB9, 0x9B,
            ],
        ));
        let mut video = packet_start(0x100, true, true, 0);
        video.extend_from_slice(&[7, 0x50, 0, 0, 0, 0, 0x7E, 0]);
        let stamp = |prefix: u8| {
            [
                prefix | ((pts >> 29) & 0x0E) as u8 | 1,
                (pts >> 22) as u8,
                ((pts >> 14) & 0xFE) as u8 | 1,
                (pts >> 7) as u8,
                ((pts << 1) & 0xFE) as u8 | 1,
            ]
        };
        video.extend_from_slice(&[0, 0, 1, 0xE0, 0, 0, 0x80, 0xC0, 10]);
        video.extend_from_slice(&stamp(0x30));
        video.extend_from_slice(&stamp(0x10));
        video.resize(PACKET, 0xAB);
        segment.extend(video);
        // The rest of the frame.
        let mut more = packet_start(0x100, false, false, 1);
        more.resize(PACKET, 0xCD);
        segment.extend(more);
        segment
    }

    fn at(millis: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(millis)
    }

    /// `segment` read whole, as `hls.rs` reads it (after the room), and stamped.
    fn whole(segment: &[u8], received: SystemTime) -> Bytes {
        stamp_whole([&[0; ROOM], segment].concat(), Some(received))
    }

    #[test]
    fn a_segment_gains_an_id3_stream_with_its_first_frames_time_and_arrival() {
        let segment = nginx_segment(900_000);
        let Head::Stamped { head, replaces } = stamp(&segment, at(1_796_333_153_123)) else {
            panic!("not stamped");
        };
        assert_eq!((replaces, head.len()), (2 * PACKET, 3 * PACKET));
        assert_eq!(
            head[..PACKET],
            segment[..PACKET],
            "the association table as it was"
        );

        let map_packet = PacketHeader::read(&head[PACKET..2 * PACKET]).unwrap();
        assert_eq!((map_packet.pid, map_packet.unit_start), (0x1001, true));
        let map = ProgramMap::read(map_packet.payload).expect("a map whose CRC checks out");
        let streams: Vec<(u8, u16)> = map.streams.iter().map(|s| (s.kind, s.pid)).collect();
        assert_eq!(streams, [(0x1B, 0x100), (0x0F, 0x101), (0x15, 0x102)]);
        assert_eq!(map.pcr_pid, 0x100);
        assert_eq!(
            map.fixed,
            [0x00, 0x01, 0xC1, 0x00, 0x00],
            "program 1, as it was"
        );
        assert_eq!(map.program_info[..2], [0x25, 15], "a metadata pointer");
        assert_eq!(
            map.streams[2].info[..2],
            [0x26, 13],
            "a metadata descriptor"
        );
        assert_eq!(&map.streams[2].info[4..8], b"ID3 ");

        let tag_packet = PacketHeader::read(&head[2 * PACKET..]).unwrap();
        assert_eq!((tag_packet.pid, tag_packet.unit_start), (0x102, true));
        let pes = tag_packet.payload;
        assert_eq!(pes[..4], [0, 0, 1, PRIVATE_STREAM_1]);
        assert_eq!(first_pts(pes), Some(900_000), "timed at the first frame");
        let length = usize::from(u16::from_be_bytes([pes[4], pes[5]]));
        assert_eq!(
            length,
            pes.len() - 6,
            "the PES packet fills the rest of the packet"
        );
        let tag = &pes[14..];
        assert_eq!(tag[..6], *b"ID3\x04\x00\x00");
        assert_eq!(usize::from(tag[9]), tag.len() - 10, "the tag's size");
        assert_eq!(tag[10..14], *b"TXXX");
        assert_eq!(usize::from(tag[17]), tag.len() - 20, "the frame's size");
        assert_eq!(
            tag[20..],
            *b"\x03segmentmetadata\0{\"cmd\":\"ld_lat_data\",\"ingest_r\":1796333153123,\
               \"transc_r\":1796333153123,\"transc_s\":1796333153123}"
        );

        let whole = whole(&segment, at(1_796_333_153_123));
        assert_eq!(whole[..3 * PACKET], head);
        assert_eq!(
            whole[3 * PACKET..],
            segment[2 * PACKET..],
            "the frames as they were"
        );
    }

    #[test]
    fn the_tag_is_timed_at_the_first_picture_even_after_sound() {
        let segment = nginx_segment(900_000);
        let mut audio = packet_start(0x101, true, false, 0);
        audio.extend_from_slice(&[0, 0, 1, 0xC0, 0, 0, 0x80, 0x80, 5, 0x21, 0, 1, 0, 1]);
        audio.resize(PACKET, 0xEE);
        let sound_first = [&segment[..2 * PACKET], &audio, &segment[2 * PACKET..]].concat();
        let Head::Stamped { head, .. } = stamp(&sound_first, at(7)) else {
            panic!("not stamped");
        };
        let tag_packet = PacketHeader::read(&head[2 * PACKET..]).unwrap();
        assert_eq!(first_pts(tag_packet.payload), Some(900_000));
    }

    #[test]
    fn a_segment_read_as_it_is_written_is_stamped_as_the_whole_file_is() {
        let segment = nginx_segment(123_456);
        let whole = whole(&segment, at(1_000));
        for piece_size in [1, 100, PACKET, 3 * PACKET, segment.len()] {
            let mut stamping = Stamping::new(Some(at(1_000)));
            let mut streamed = Vec::new();
            for piece in segment.chunks(piece_size) {
                if let Some(sent) = stamping.pass(Bytes::copy_from_slice(piece)) {
                    streamed.extend_from_slice(&sent);
                }
            }
            assert!(stamping.rest().is_none(), "nothing left held");
            assert_eq!(streamed, whole, "read {piece_size} bytes at a time");
        }
    }

    #[test]
    fn a_segment_whose_arrival_is_unknown_or_which_is_too_short_passes_as_it_is() {
        let segment = nginx_segment(0);
        let read = [&[0; ROOM], &segment[..]].concat();
        assert_eq!(stamp_whole(read, None), segment, "read whole");
        let mut unknown = Stamping::new(None);
        let first = unknown
            .pass(Bytes::copy_from_slice(&segment[..10]))
            .unwrap();
        assert_eq!(first[..], segment[..10], "sent at once");

        let mut short = Stamping::new(Some(at(5)));
        assert!(
            short
                .pass(Bytes::copy_from_slice(&segment[..2 * PACKET]))
                .is_none()
        );
        assert_eq!(short.rest().unwrap()[..], segment[..2 * PACKET]);
        assert_eq!(stamp(&segment[..2 * PACKET + 40], at(5)), Head::Incomplete);
    }

    #[test]
    fn a_segment_not_laid_out_as_expected_is_served_as_it_is() {
        let segment = nginx_segment(90_000);
        let unchanged = |bytes: &[u8]| stamp(bytes, at(1)) == Head::Unchanged;
        assert!(unchanged(&[0u8; 2 * PACKET]), "no sync bytes");
        let stamped = whole(&segment, at(1));
        assert!(unchanged(&stamped), "metadata already: stamped once only");
        let mut corrupt = segment.clone();
        corrupt[PACKET + 12] ^= 0x01; // the map's CRC no longer matches
        assert!(unchanged(&corrupt));
        let mut no_pts = segment.clone();
        no_pts[2 * PACKET + 12 + 7] = 0x00; // the first frame's PES header says "no PTS"
        assert!(unchanged(&no_pts));
        // Tables over and over, and never a frame.
        let tables_only = segment[..2 * PACKET].repeat(LOOK_AT_MOST / (2 * PACKET));
        assert!(unchanged(&tables_only));
        assert_eq!(whole(&corrupt, at(1)), corrupt);
        assert_eq!(whole(&[], at(1)), Bytes::new(), "an empty file");
    }
}
