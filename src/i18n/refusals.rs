//! The API's refusals in Korean, by their stable code. The server explains each in English, with
//! the limit or the rule it broke; these say the same to a Korean user, and what to do next.
//! Codes a user cannot reach through the app (values only a program sends: an id, a cursor, a
//! push subscription's keys) are not here: the user is told the request was refused, with the
//! server's sentence.

/// What to tell a Korean user for the error `code`, or `None` to show the server's sentence.
pub(super) fn korean(code: &str) -> Option<&'static str> {
    let said = match code {
        // Any call.
        "unauthenticated" | "invalid_token" => "로그인이 필요해요. 다시 로그인해 주세요.",
        "forbidden" => "이 작업을 할 권한이 없어요.",
        "banned" => "이 채널에서 차단되어 있어요.",
        "rate_limited" => "요청이 너무 많아요. 잠시 후에 다시 해 주세요.",
        "not_found" => "찾을 수 없어요. 지워졌거나 주소가 잘못되었을 수 있어요.",
        "internal" => "서버에 문제가 생겼어요. 잠시 후에 다시 해 주세요.",
        "auth_unavailable" => "지금은 로그인을 확인할 수 없어요. 잠시 후에 다시 해 주세요.",
        "payload_too_large" => "보낸 내용이 너무 커요.",
        "changed_meanwhile" | "recording_busy" => "그사이에 내용이 바뀌었어요. 다시 해 주세요.",
        // The channel and its settings.
        "channel_live" => {
            "방송 중에는 지연 시간, 화질, 공개 범위, 녹화 설정을 바꿀 수 없어요. 방송을 끝낸 뒤 바꿔 주세요."
        }
        "handle_taken" => "이미 쓰이고 있는 핸들이에요. 다른 핸들을 골라 주세요.",
        "handle_reserved" => "쓸 수 없는 핸들이에요. 다른 핸들을 골라 주세요.",
        "invalid_handle" => "핸들은 영문자, 숫자, 밑줄(_)로 3~25자이고, 밑줄로 시작할 수 없어요.",
        "invalid_title" => "방송 제목이 너무 길거나 쓸 수 없는 문자가 들어 있어요.",
        "invalid_nickname" => "닉네임이 비었거나 너무 길거나, 쓸 수 없는 문자가 들어 있어요.",
        "channel_exists" => "이미 채널이 있어요.",
        "busy" => "다른 곳에서 채널을 바꾸는 중이에요. 다시 해 주세요.",
        "invalid_category" | "invalid_search" => {
            "검색어가 너무 길거나 쓸 수 없는 문자가 들어 있어요."
        }
        // Following.
        "own_channel" => "내 채널은 팔로우할 수 없어요.",
        "pin_changed" => "그사이에 다른 메시지가 고정되어 그대로 두었어요.",
        "own_account" => "나 자신은 차단할 수 없어요.",
        "block_limit" => "더 차단할 수 없어요. 차단한 사람을 몇 명 해제한 뒤 다시 해 주세요.",
        "following_limit" => {
            "더 팔로우할 수 없어요. 팔로우하는 채널을 몇 개 취소한 뒤 다시 해 주세요."
        }
        // Chat and moderation.
        "invalid_target" => "자신이나 채널 주인에게는 할 수 없어요.",
        "too_many_moderators" => "매니저를 더 둘 수 없어요. 한 명을 해제한 뒤 다시 해 주세요.",
        "invalid_duration" => "타임아웃은 1분~24시간, 차단은 1분~10년이어야 해요.",
        "invalid_chat_rules" => {
            "채팅 규칙 값이 허용 범위를 벗어났어요: 메시지 길이는 1~500자, 속도는 초당 1~100개예요."
        }
        "invalid_schedule" => {
            "방송 일정이 올바르지 않아요: 방송은 15분~12시간, 일주일에 14개까지, 제목은 80자까지예요."
        }
        "unknown_time_zone" => "알 수 없는 시간대예요. 예: Asia/Seoul",
        "schedule_overlap" => "겹치는 방송이 있어요. 시간을 옮기거나 줄여 주세요.",
        "invalid_about" => {
            "소개가 올바르지 않아요: 소개는 300자, 링크는 5개, 링크 이름은 25자까지이고 쓸 수 없는 문자가 들어 있으면 안 돼요."
        }
        "invalid_link" => {
            "링크 주소를 쓸 수 없어요. https:// 나 http:// 로 시작하는 사이트 주소여야 하고, 사용자 이름이나 비밀번호를 담을 수 없어요."
        }
        "invalid_word_filter" => "금지어가 너무 많거나 너무 길어요.",
        "invalid_reason" => "사유가 비었거나 너무 길거나, 쓸 수 없는 문자가 들어 있어요.",
        "too_many_emotes" => "이모트를 더 올릴 수 없어요. 하나를 지운 뒤 다시 해 주세요.",
        "invalid_image" => "PNG, GIF, WebP 이미지가 아니거나 파일이 온전하지 않아요.",
        "invalid_image_size" => "이모트는 가로세로 16~512픽셀이어야 해요.",
        "too_many_frames" => "움직이는 이모트는 200프레임까지만 돼요.",
        "invalid_emote_code" => {
            "이모트 코드는 영문자, 숫자, 밑줄(_)로 2~24자이고, 영문자가 하나는 있어야 해요."
        }
        // Clips and past broadcasts.
        "not_live" => "지금은 방송 중이 아니에요.",
        "not_recording" => "이 방송은 녹화되고 있지 않아서 클립을 만들 수 없어요.",
        "not_clippable" => "끝난 방송만 이렇게 클립으로 만들 수 있어요.",
        "invalid_clip_range" => {
            "클립 구간을 만들 수 없어요. 방송이 막 시작했다면 몇 초 뒤에 다시 해 주세요."
        }
        "clip_unavailable" => "녹화를 읽을 수 없어요. 잠시 후에 다시 해 주세요.",
        "invalid_clip_title" => {
            "클립 제목을 1~100자로 적어 주세요. 보이지 않는 문자는 쓸 수 없어요."
        }
        "still_recording" => "아직 녹화 중인 방송이에요. 방송이 끝난 뒤 지워 주세요.",
        // Videos.
        "video_quota_exceeded" => {
            "동영상을 둘 공간이 모자라요. 다른 동영상을 지운 뒤 다시 올려 주세요."
        }
        "invalid_video_size" => "동영상 파일이 비어 있거나 너무 커요.",
        "invalid_video_title" => {
            "동영상 제목이 비었거나 너무 길거나, 쓸 수 없는 문자가 들어 있어요."
        }
        "invalid_video_description" => "동영상 설명이 너무 길거나 쓸 수 없는 문자가 들어 있어요.",
        "invalid_file_name" => "파일 이름이 너무 길거나 쓸 수 없는 문자가 들어 있어요.",
        "not_uploading" => "이 동영상의 파일은 이미 올라갔어요.",
        "upload_incomplete" => "업로드가 끝나지 않았어요. 다시 올려 주세요.",
        // Raids.
        "raid_self" => "다른 채널을 골라 주세요.",
        "raider_offline" => "방송 중일 때만 습격할 수 있어요.",
        "raid_target_offline" => "그 채널은 지금 방송 중이 아니에요.",
        "raid_target_private" => "비공개 채널이라 시청자들이 볼 수 없어요.",
        "raids_off" => "그 채널은 습격을 받지 않아요.",
        "raid_banned" => "그 채널 채팅에서 차단되어 있어 습격할 수 없어요.",
        "raids_followed_only" => "그 채널은 스트리머가 팔로우하는 채널의 습격만 받아요.",
        // Webhooks.
        "webhook_limit" => "웹훅을 더 둘 수 없어요. 하나를 지운 뒤 다시 해 주세요.",
        "invalid_webhook_url" => {
            "웹훅 주소를 쓸 수 없어요. 공개된 https:// 주소여야 하고, 사용자 이름이나 비밀번호를 담을 수 없어요."
        }
        _ => return None,
    };
    Some(said)
}
