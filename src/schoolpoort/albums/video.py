"""The served version of a video: the same pictures and sound, in a new container without any of
the upload's metadata. Made in the background task (``processing.make_video_version``) with PyAV
(FFmpeg's libraries; its wheels bundle them).

A phone's video carries where it was shot (QuickTime ``com.apple.quicktime.location.ISO6709``
in ``moov/meta``, ``©xyz`` in ``moov/udta``), the make and model of the device and when it was
recorded; some cameras add GPS tracks or subtitle tracks with positions. So the upload is
*remuxed*: the packets of one video stream and at most one sound stream are copied as they are
(no re-encoding: same quality, and a minute of video takes seconds, not minutes) into a new
container of the same kind. Nothing else goes along: no container or stream metadata, no data,
subtitle or attachment streams, no chapters, no creation date. What the new file keeps of the
original's header is what playing it needs: the codecs' own parameters, the codec tag (Safari
plays HEVC only as ``hvc1``) and the display matrix (a phone held upright stays upright).

MP4 and MOV are written with ``movflags=+faststart`` (the index first, so a phone starts
playing before it has the whole file) and ``fflags=+bitexact`` (no FFmpeg version string).

Not removed: what an encoder writes inside the coded pictures (e.g. x264's settings in an SEI
message); phones do not put positions there.

The poster frame (the thumbnail) is the first key frame, decoded from the stripped file, turned
upright and saved through the photos' pipeline (``processing._to_srgb`` and ``_clean_jpeg``)."""

from __future__ import annotations

import datetime
import logging
import os
from dataclasses import dataclass

import av
from av.stream import Disposition
from django.utils import timezone
from PIL import Image

from schoolpoort.lib.images import MAX_PIXELS

logger = logging.getLogger(__name__)

# Content type of the upload → FFmpeg muxer of the served version (the same kind of container).
MUXERS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}
MUXER_OPTIONS = {
    "mp4": {"movflags": "+faststart", "fflags": "+bitexact"},
    "mov": {"movflags": "+faststart", "fflags": "+bitexact"},
    "webm": {"fflags": "+bitexact"},
}
# Where phones put the moment of recording; Apple's has the local time with its offset.
CREATION_KEYS = ("com.apple.quicktime.creationdate", "creation_time", "date")
READ_ERRORS = (av.FFmpegError, OSError, ValueError, EOFError, RuntimeError)


class VideoError(Exception):
    """A video that cannot be served; ``code`` is one of ``models.VIDEO_ERRORS``."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass
class Remuxed:
    width: int  # as shown (after the display matrix's rotation)
    height: int
    taken_at: datetime.datetime | None
    frames: int
    codec: str


def recorded_at(metadata: dict) -> datetime.datetime | None:
    """When the video was recorded, from the container's metadata (read before it is dropped)."""
    for key in CREATION_KEYS:
        value = (metadata.get(key) or "").strip()
        if not value:
            continue
        try:
            moment = datetime.datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            continue
        if not 1990 <= moment.year <= 2100:  # 1904/1970: an empty QuickTime date
            continue
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)
    return None


def _video_stream(container):
    for stream in container.streams.video:
        if not stream.disposition & Disposition.attached_pic and stream.codec_context is not None:
            return stream
    return None


def _audio_stream(container):
    for stream in container.streams.audio:
        if stream.codec_context is not None:
            return stream
    return None


def _add_copy(output, stream):
    """An output stream that takes ``stream``'s packets unchanged: its codec parameters (with the
    display matrix), its codec tag, and no metadata."""
    copy = output.add_stream_from_template(stream)
    copy.metadata.clear()
    tag = stream.codec_context.codec_tag
    if tag and tag.strip("\x00"):  # the same kind of container: the upload's tag is valid in it
        copy.codec_context.codec_tag = tag
    return copy


def remux(source, target: str, content_type: str) -> Remuxed:
    """Copy the video and sound of ``source`` (a path or a binary file) into a new file at the
    path ``target``, without metadata. Raises VideoError."""
    muxer = MUXERS.get(content_type)
    if muxer is None:
        raise VideoError("video_unreadable", f"no muxer for {content_type}")
    try:
        inp = av.open(source, "r", metadata_errors="ignore")
    except READ_ERRORS as error:
        raise VideoError("video_unreadable", str(error)) from error
    with inp:
        video = _video_stream(inp)
        if video is None:
            raise VideoError("video_no_picture")
        width, height = video.codec_context.width, video.codec_context.height
        if width < 1 or height < 1 or width * height > MAX_PIXELS:
            raise VideoError("video_too_large", f"{width}x{height}")
        taken_at = recorded_at(dict(inp.metadata)) or recorded_at(dict(video.metadata))
        try:
            frames = _copy_packets(inp, target, muxer, video, _audio_stream(inp))
        except READ_ERRORS as error:
            raise VideoError("video_unreadable", str(error)) from error
    if frames == 0:
        raise VideoError("video_unreadable", "no video packets")
    return Remuxed(width, height, taken_at, frames, video.codec_context.name)


def _copy_packets(inp, target: str, muxer: str, video, audio) -> int:
    frames = 0
    with av.open(target, "w", format=muxer, options=MUXER_OPTIONS[muxer]) as output:
        copies = {video.index: _add_copy(output, video)}
        if audio is not None:
            try:
                copies[audio.index] = _add_copy(output, audio)
            except ValueError:  # a sound codec this container cannot hold: the pictures alone
                logger.info("albums: audio codec %s left out", audio.codec_context.name)
                audio = None
        for packet in inp.demux(*[s for s in (video, audio) if s is not None]):
            if packet.dts is None:  # the demuxer's flush packets carry nothing
                continue
            if packet.stream.index == video.index:
                frames += 1
            packet.stream = copies[packet.stream.index]
            output.mux(packet)
    return frames


def poster(path: str) -> Image.Image | None:
    """The first key frame of the video at ``path``, upright, as a Pillow image (None when it
    cannot be decoded here: the video is still served, with a placeholder)."""
    try:
        with av.open(path, "r") as container:
            stream = _video_stream(container)
            if stream is None:
                return None
            stream.codec_context.skip_frame = "NONKEY"  # decode key frames only: the first is enough
            for frame in container.decode(stream):
                image = frame.to_image()
                # frame.rotation: degrees counterclockwise, as Pillow's rotate() takes them
                turn = round((frame.rotation or 0) / 90) * 90 % 360
                return image.rotate(turn, expand=True) if turn else image
    except READ_ERRORS as error:
        logger.info("albums: no poster frame for %s: %s", os.path.basename(path), error)
    return None


def shown_size(remuxed: Remuxed, image: Image.Image | None) -> tuple[int, int]:
    """Width and height as the video is shown: the upright poster's, when there is one."""
    return image.size if image is not None else (remuxed.width, remuxed.height)
