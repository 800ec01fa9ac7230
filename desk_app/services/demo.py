"""Demo data: a desk full of realistic, synthetic matters, reproducible from a seed.

The data go through the same mechanism as real work: every case is written in
a unit of work (`Desk.uow`) acting as a demo account, takes this desk's next
case number from `numbering.allocate`, gets a ``registered`` history event and
its triage clock (`cases.first_clock`), and its rows go through the unit of
work's bulk path (`UnitOfWork.bulk_insert`), which stamps them and writes their
outbox ops (a create per row, an append per history event) exactly as for a
case registered at the window. One unit of work carries a batch of cases (up to
`BATCH_SIZE`).

Then each case goes on to its status (`STATUS_WEIGHTS`, `LIFECYCLE`) through
the real workflow: `workflow.RUNNERS` (研判, 交办, 签收, 开始办理, 反馈, 办结,
回访, 归档, 上报 …) and `joint` (联合调解), run in the same unit of work with
`uow.now` set to the step's time and `uow.actor` to who does it (officer1
triages, routes and closes; mediator1 records the units' steps for them, as no
unit has a desk of its own; clerk1 makes some follow-up calls). So history,
stored deadlines, dispatch rows (交办单 numbers, returns, feedback) and ops
(a transition per status change, patches for triage, pauses, extensions) are
those real work makes. Variety: about 5 % of routed cases are returned once
(退单) and routed to another unit; some are reported up (上报), closed there or
sent back; pauses (waiting on the citizen; appraisal on the medical track) with
their resumes; extensions (with both parties' consent on the mediation track);
退回重办; failed mediations with their referral, terminated ones; joint
mediations on a few per cent (a quarter of groups), with a unit absent now and
then. Slow units are supervised (`supervision`, by officer1): about a third of
late signings and half of late feedbacks are urged (催办), some of those
supervised (督办) and a few taken to 挂牌督办, 通报 or 约谈; more than half of
the cases left open and overdue at ANCHOR are urged (about 12 % of the cases
that reach a unit are urged at least once). Each rung comes after
the dispatch and before the unit's next step, with an answer-by date some
working days on; the unit's answer, recorded for it by center staff, follows
on most rungs of finished cases and on about half of the open ones.

Each step takes minutes to days after the one before, mostly within its
deadline (some late: a sign after the limit, feedback after the handling
time), in office hours, and never after ANCHOR. Which status a case gets
depends on its age (`_by_age`): the newest cases are open, done ones older.
What a user sees: about 10 % of cases are open (a few per cent waiting for
triage, dispatched, signed, in handling or fed back; 1-2 % escalated), the rest
closed, followed up or archived. Measured against ANCHOR (the demo's "today")
open cases received in the last days are on time, some near due (临期) and
older ones overdue or without feedback (逾期未反馈). The screens measure
against the wall clock, which is later than ANCHOR: there nearly all open cases
are overdue, as in a desk left alone since 2026-11-01.

Cost: the registrations take about 0.6 ms a case; the workflow steps (7 to 8
actions per case on average, each with its own queries and flushes) about
20 ms a case. Measured on a 2-core machine: 10,000 cases in 3 to 4 minutes,
100,000 in about 36 (registrations alone: 7-10 s and about a minute).

Reproducible: the same seed on a fresh desk gives the same names, ID numbers,
texts, types, places, channels, statuses, histories, deadlines and case
numbers; row ids and the ``created_at`` stamps of registrations are new each
time (later rows and ops are stamped with their step's time). Times are spread
over the `SPAN_DAYS` days before a fixed anchor (2026-11-01 00:00,
Asia/Shanghai), never the wall clock. Each case number is allocated for the
year it was received in, in the order received, as if the desk had registered
it that day.

Everyone here is made up: names are drawn from the naming styles of the
region (Han, Dai, Hani, Jino, neighbours from Laos and Myanmar); ID numbers,
credit codes and phone numbers are well-formed but random.

Some people come back (`REPEAT_VISITOR_SHARE`): the applicant of an earlier case
in the same place, with the same name, phone and (mostly) ID number. Most of
them come about the same matter again (the earlier case's dispute type, against
its respondent) and are marked as repeat visits of it (``cases.repeat_of_id``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import struct
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from desk_app.models import (
    Attachment,
    Case,
    CaseEvent,
    DisputeType,
    Division,
    Enquiry,
    Party,
    Unit,
    User,
    new_id,
)
from desk_app.services import deadlines, joint, numbering, supervision, users, workflow
from desk_app.services.cases import (
    CHANNELS,
    STATUSES,
    PartyInput,
    describe_change,
    new_verify_code,
    party_values,
)
from desk_app.services.desk import Desk, InitInput, initialise, open_desk
from desk_app.services.identity import (
    USCC_CHARSET,
    id_check_char,
    uscc_check_char,
    validate_id,
)
from desk_app.services.roles import Actor, Role, require
from desk_app.services.supervision import SuperviseInput
from desk_app.services.uow import UnitOfWork
from desk_app.services.workcalendar import WorkCalendar, load_calendar

log = logging.getLogger(__name__)

SHANGHAI = numbering.SHANGHAI
#: Demo times end here (2026-11-01 00:00 Asia/Shanghai, in UTC), whatever the wall clock says.
#: Raised whenever the generator makes different data for the same seed (repeat visitors
#: came in revision 2; channel notes, and representatives only for groups at the window,
#: in 3; the whole case lifecycle through the real workflow, in 4; supervision of slow
#: units, 催办 and 督办, in 5), so that cached demo folders (`desk-app bench`) are built
#: again.
DEMO_REVISION = 5
ANCHOR = datetime(2026, 11, 1, tzinfo=SHANGHAI).astimezone(UTC)
SPAN_DAYS = 400
BATCH_SIZE = 1000
ATTACHMENT_SHARE = 0.05
#: Share of (non-group) cases whose applicant came before, to the same place.
REPEAT_VISITOR_SHARE = 0.08
#: Of those, the share that left the ID card at home (found by phone and name only).
REPEAT_WITHOUT_ID_SHARE = 0.25
#: Of repeat visitors, the share that come about the same matter again (the earlier case's
#: type, against its respondent), marked 重复来访, where the place has such a case.
REPEAT_MARKED_SHARE = 0.6
#: Earlier applicants remembered per place (and per place and type) to come back.
REPEAT_POOL = 40
#: Distinct demo images per seed; attachments share them (files are content-addressed).
IMAGE_POOL = 97

# --- the demo center --------------------------------------------------------------

DEMO_CENTER = "景洪市综治中心"
DEMO_SHORT_NAME = "景综"
DEMO_DESK_CODE = "D01"


class DemoAccount(NamedTuple):
    password: str
    full_name: str
    roles: frozenset[Role]


#: The accounts of the demo desk, by username (README and tests cite them). Demo only:
#: these passwords are public.
DEMO_ACCOUNTS: dict[str, DemoAccount] = {
    "admin": DemoAccount("demo-admin-1", "管理员", frozenset({Role.ADMIN})),
    "clerk1": DemoAccount("demo-clerk-1", "玉香", frozenset({Role.CLERK})),
    "officer1": DemoAccount("demo-officer-1", "刀建华", frozenset({Role.OFFICER})),
    "mediator1": DemoAccount("demo-mediator-1", "白秀英", frozenset({Role.MEDIATOR})),
}
DEMO_ADMIN = "admin"


def ensure_demo_desk(root: Path) -> Desk:
    """Open the data folder `root`; if it has no desk yet, set it up as the demo center.

    The demo center is 景洪市综治中心 (景综), desk D01, with `DEMO_ACCOUNTS`. A folder
    that is already initialised is opened as it is: no accounts are added to it.
    """
    desk = open_desk(root)
    if desk.info is not None:
        return desk
    first = DEMO_ACCOUNTS[DEMO_ADMIN]
    try:
        admin = initialise(
            desk,
            InitInput(
                center_name=DEMO_CENTER,
                desk_code=DEMO_DESK_CODE,
                admin_username=DEMO_ADMIN,
                admin_password=first.password,
                admin_full_name=first.full_name,
                short_name=DEMO_SHORT_NAME,
            ),
        )
        with desk.uow(admin) as uow:
            for username, account in DEMO_ACCOUNTS.items():
                if username != DEMO_ADMIN:
                    users.add_user(
                        uow,
                        users.UserInput(
                            username, account.full_name, account.password, account.roles
                        ),
                    )
    except BaseException:
        desk.close()
        raise
    return desk


# --- result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    parties: int
    organisations: int
    foreigners: int
    attachments: int
    corrected: int
    voided: int
    enquiries: int
    seconds: float
    #: Cases whose applicant came before, and how many of those are marked as repeat visits.
    repeat_visitors: int = 0
    repeat_marked: int = 0
    #: Supervision records (催办, 督办 …) raised against units, and how many were answered.
    supervisions: int = 0
    supervisions_answered: int = 0


# --- amendments and advice-only visits ---------------------------------------------------

CORRECTED_SHARE = 0.03
VOIDED_SHARE = 0.01
ENQUIRY_SHARE = 0.25
_VOID_REASONS = ("重复登记", "登记错误，当事人撤回", "误将咨询登记为纠纷")
#: topic -> (question, answer, referred to) samples.
_ENQUIRY_TOPICS: dict[str, list[tuple[str, str, str]]] = {
    "legal": [
        (
            "离婚后孩子抚养费怎么计算？",
            "一般按月收入的百分之二十至三十确定，可先行协商，协商不成可诉讼。",
            "市法律援助中心",
        ),
        (
            "工资被拖欠三个月，怎么维权？",
            "可向劳动监察大队投诉，或申请劳动仲裁，需保留考勤和工资凭证。",
            "市劳动人事争议仲裁院",
        ),
        (
            "邻居建房挡住采光，能否要求拆除？",
            "相邻关系纠纷可先由村调委会调解，调解不成可向法院起诉。",
            "村（居）调委会",
        ),
        (
            "借钱给朋友没有借条，还能要回来吗？",
            "可凭转账记录、聊天记录等证据主张，建议尽快补签借条。",
            "",
        ),
        ("交通事故对方不赔偿怎么办？", "可申请交警调解，或在事故认定后向法院起诉。", "交警大队"),
    ],
    "policy": [
        (
            "宅基地审批需要哪些材料？",
            "向所在乡镇自然资源所咨询，一般需申请书、户口簿和村委会意见。",
            "乡镇自然资源所",
        ),
        (
            "低保申请条件是什么？",
            "家庭人均收入低于当地低保标准，向村（社区）提出申请。",
            "村（居）委会",
        ),
        (
            "土地承包经营权能否流转？",
            "可依法采取出租、入股等方式流转，需签订书面合同。",
            "乡镇农业农村服务中心",
        ),
    ],
    "other": [
        ("想了解综治中心的办事流程。", "介绍了受理、研判、交办和反馈流程，并留下联系电话。", ""),
    ],
}


# --- statuses ---------------------------------------------------------------------------

#: Share of each status among demo cases (relative weights, per cent): most matters are
#: done (closed, followed up, archived); the open backlog is a few per cent at each step.
STATUS_WEIGHTS: dict[str, float] = {
    "pending_triage": 1.0,
    "dispatched": 1.0,
    "signed": 1.0,
    "in_progress": 4.0,
    "fed_back": 1.5,
    "closed": 4.0,
    "visited": 28.0,
    "archived": 58.0,
    "escalated": 1.5,
}
#: How long ago (days before ANCHOR) a case of each status typically came in: open cases
#: are recent (an exponential age with this mean), with a share of stale ones from any
#: time; done ones (uniform between the bounds) are older. Only the order counts: the
#: statuses are matched to the reception times by these ages (`_by_age`).
_OPEN_AGE: dict[str, float] = {
    "pending_triage": 2.0, "dispatched": 3.0, "signed": 5.0, "in_progress": 12.0,
    "fed_back": 10.0, "escalated": 25.0,
}  # fmt: skip
_STALE_SHARE = 0.15
_DONE_AGE: dict[str, tuple[float, float]] = {
    "closed": (3.0, 30.0), "visited": (20.0, SPAN_DAYS), "archived": (45.0, SPAN_DAYS),
}  # fmt: skip

#: Of cases routed to a unit, the share the unit returns once (退单) and which is routed
#: again to another unit.
RETURN_SHARE = 0.05
#: Of cases in handling, the share with a joint mediation (groups: the higher share), the
#: share of joint mediations where a summoned unit did not come, the share paused (for
#: the citizen; on the medical track mostly for an appraisal) and the share extended
#: (tracks whose rule allows it: mediation with both parties' consent, petitions).
JOINT_SHARE = 0.03
JOINT_SHARE_GROUP = 0.25
JOINT_ABSENT_SHARE = 0.25
PAUSE_SHARE = 0.08
EXTEND_SHARE = 0.07
#: Of finished cases, the share reported to the upper center (closed there, or sent back
#: and then handled here).
UPPER_CLOSED_SHARE = 0.015
SENT_BACK_SHARE = 0.015
#: Supervision (催办, 督办 …) of slow units, through `services.supervision`: the share of
#: cases urged when the unit signs late, when its feedback comes after the handling
#: deadline, and when it is near that deadline; the share of cases left open with their
#: unit and overdue at ANCHOR that were urged, and of those near due. Of urged cases, the
#: share supervised formally (督办) as well; of those, the share taken to a heavier rung
#: (挂牌督办, 通报, 约谈). Rungs on finished cases were mostly answered; on open ones
#: about half wait for the answer.
URGE_LATE_SIGN_SHARE = 0.3
URGE_LATE_FEEDBACK_SHARE = 0.5
URGE_NEAR_DUE_SHARE = 0.04
URGE_OPEN_OVERDUE_SHARE = 0.6
URGE_OPEN_NEAR_DUE_SHARE = 0.12
SUPERVISE_SHARE = 0.3
HEAVY_SHARE = 0.25
ANSWERED_SHARE = 0.9
ANSWERED_OPEN_SHARE = 0.45


@dataclass(frozen=True)
class _Cast:
    """Who works the demo cases: the officer who triages, routes, supervises and closes;
    the mediator who records the units' steps for them (no unit has a desk of its own);
    the clerk who makes some of the follow-up calls."""

    officer: Actor
    mediator: Actor
    clerk: Actor


@dataclass
class _World:
    """What every demo case's lifecycle reads, loaded once per `generate`."""

    cast: _Cast
    rules: list[deadlines.Rule]
    #: unit code -> (name, level)
    units: dict[str, tuple[str, str]]
    #: Working days, for the answer-by dates of supervision rungs.
    calendar: WorkCalendar
    suggestions: dict[tuple[str, str], workflow.Suggestion] = field(default_factory=dict)

    def suggest(self, session: Session, kind: str, division: str) -> workflow.Suggestion:
        key = (kind, division)
        found = self.suggestions.get(key)
        if found is None:
            found = self.suggestions[key] = workflow.suggest(session, kind, division)
        return found


_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_TRIAGE_NOTES = (
    "事实基本清楚，双方均有调解意愿", "争议标的不大，宜就地化解", "涉及多方利益，需相关部门协同",
    "当事人情绪较大，需尽快介入", "曾经村（社区）调解未果", "证据材料基本齐全",
)  # fmt: skip
_ASKED = {
    "mediation": ("请组织双方当事人调解，并于期限内书面反馈结果", "请及时上门核实情况并组织调解"),
    "petition": ("请依法核实办理，按期书面答复信访人并反馈中心",),
    "labour": ("请组织劳动争议调解，调解不成的告知当事人申请仲裁",),
    "medical": ("请医调委受理并组织调解，需鉴定的按规定办理",),
    "litigation": ("请做好诉前调解，调解不成的及时转立案",),
    "administrative": ("请依职权处理并组织行政调解，按期反馈",),
    "other": ("请核实处理并按期反馈",),
}
_LONGER_REASONS = ("案情复杂，需实地勘查", "涉及人数较多，需分批调解", "需调取相关部门材料")
_RETURN_REASONS = (
    "经核实，该事项不属于本单位职责范围，建议交由{u}办理",
    "纠纷发生地不在本辖区，建议交由{u}办理",
    "涉及专业技术问题，本单位无处理职能，建议交由{u}办理",
)
_UPPER_NOTES = (
    "涉及跨县（市）事项，超出本级处置权限", "涉及州级部门职权，需上级中心统筹协调",
    "群体性矛盾，涉及面广，报请上级中心研究",
)  # fmt: skip
_SENT_BACK_NOTES = ("经研究，由属地综治中心继续办理", "上级中心已协调相关部门，交回本级落实")
_UPPER_CLOSE_NOTES = ("州综治中心协调相关部门办结", "上级中心组织联合调处，已化解")
_PAUSE_NOTES = {
    "citizen": ("等待申请人补交相关证明材料", "当事人外出务工，约定返乡后再行调解",
                "等待当事人提供证人联系方式"),
    "appraisal": ("委托医疗损害鉴定，等待鉴定意见", "等待病历封存复印及鉴定结论"),
}  # fmt: skip
_RESUME_NOTES = ("材料已补齐", "当事人已到场", "鉴定意见已出具", "")
_EXTEND_REASONS = ("双方同意继续调解", "需等待相关部门出具意见", "双方分歧较大，需多轮调解")
_JOINT_PLACES = ("中心调解室", "{t}综治中心会议室", "纠纷现场", "{t}司法所调解室")
_ABSENT_REASONS = ("临时有其他公务", "未说明原因", "通知未及时送达")
_WORK_TEXTS = ("已联系双方当事人了解情况", "已实地查看现场", "已调取相关材料")
_FEEDBACK = {
    "mediated": ("经调解，双方自愿达成协议并已签订调解协议书", "经调解双方达成口头协议，已当场履行",
                 "经多次调解，双方达成和解，相关款项已支付"),
    "failed": ("经多次调解，双方分歧较大，未能达成协议", "被申请人拒不到场，调解不成"),
    "terminated": ("申请人撤回调解申请", "当事人已向人民法院起诉，调解终止"),
}  # fmt: skip
_REWORK_NOTES = ("反馈材料不全，请补充调解协议书", "协议履行情况未说明，请补充")
_VISIT_NOTES = {
    "satisfied": ("协议已履行，当事人表示满意", "双方关系已缓和", ""),
    "mostly": ("协议基本履行，尚余部分款项", "当事人对处理时间略有意见"),
    "unsatisfied": ("当事人对处理结果不满意，已做解释工作",),
    "unreached": ("电话多次无人接听",),
}  # fmt: skip
_URGE_SIGN = (
    "该案件交办后已超过签收时限，请立即签收并安排专人办理。",
    "请于今日内签收该案件，明确承办人员并告知中心联系方式。",
)
_URGE_NEAR = (
    "该案件办理期限即将届满，请抓紧办理，并于{d}个工作日内反馈办理进展。",
    "该案件临近办理期限，请加快调处进度，按期反馈办理结果。",
)
_URGE_LATE = (
    "该案件已超过办理期限，请于{d}个工作日内反馈办理进展。",
    "该案件逾期未反馈，请说明未按期办结的原因，并于{d}个工作日内书面反馈。",
    "当事人多次来电询问办理情况，请加快办理，于{d}个工作日内反馈进展。",
)
_SUPERVISE = (
    "经催办仍未按期办结，现予督办：请单位主要负责人亲自过问，于{d}个工作日内报送办理情况。",
    "该案件经催办后仍无实质进展，请制定化解方案，限期办结并于{d}个工作日内书面报告。",
)
_HEAVY: dict[str, tuple[str, ...]] = {
    "listed": ("该案件经督办仍未办结，列为挂牌督办事项：请单位主要负责人牵头化解，"
               "于{d}个工作日内办结并每周报告进展。",),
    "notice": ("该单位对交办案件经催办、督办仍未按期办理，现予通报，请于{d}个工作日内整改到位。",),
    "interview": ("该案件经督办仍未落实，约请单位分管负责人到中心说明情况，"
                  "并于{d}个工作日内提出整改措施。",),
}  # fmt: skip
#: Working days given to answer each rung.
_ANSWER_DAYS = {"urge": 3, "supervise": 5, "listed": 10, "notice": 10, "interview": 5}
_ANSWERS: dict[str, tuple[str, ...]] = {
    "sign": ("已签收，已安排专人负责办理。", "因值班人员外出延误签收，现已签收并联系当事人。"),
    "unsigned": ("收悉，已安排专人，今日内办理签收。",
                 "因承办人员外出延误，将尽快签收并组织办理。"),
    "urge": ("已联系双方当事人，定于近日组织调解，结果及时反馈。",
             "已约双方当事人到所调解，正在收集相关材料。",
             "前期因当事人外出务工未能调解，现已取得联系，近期组织调解。"),
    "supervise": ("单位负责人已专题研究，制定调处方案，已组织第二次调解。",
                  "已成立工作专班，会同村（居）委会实地核查，计划本周内办结。"),
    "heavy": ("已按要求整改，主要负责人牵头化解，案件已进入最后调处阶段。",
              "已书面说明逾期原因并落实整改措施，明确专人跟进，限期办结。"),
}  # fmt: skip
_OUTCOME_WEIGHTS = {"mediated": 80.0, "failed": 12.0, "terminated": 8.0}
_SATISFACTION_WEIGHTS = {"satisfied": 70.0, "mostly": 20.0, "unsatisfied": 4.0, "unreached": 6.0}


def _office_hours(at: datetime, rng: random.Random, *, weekdays: bool) -> datetime:
    """`at`, or the next morning (from 08:30) when it falls at night; with `weekdays`,
    the next working morning (Monday to Friday) when it falls at a weekend too."""
    local = at.astimezone(SHANGHAI)
    minutes = local.hour * 60 + local.minute
    day = local.date()
    if minutes >= 18 * 60:
        day += _DAY
    elif minutes >= 8 * 60 + 30 and not (weekdays and day.weekday() >= 5):
        return at
    while weekdays and day.weekday() >= 5:
        day += _DAY
    morning = datetime(day.year, day.month, day.day, 8, 30, tzinfo=SHANGHAI)
    return (morning + timedelta(minutes=rng.randrange(120))).astimezone(UTC)


class _Life:
    """One demo case on its way through the workflow: every step is the real action
    (`workflow.RUNNERS`, `joint`) run in the batch's unit of work with `uow.now` set to
    the step's time and `uow.actor` to whoever does it, so history, deadlines, dispatch
    rows and ops are those real work makes.

    Times go forward from the registration: minutes to days per step, in office hours,
    and never past ANCHOR: a step takes at most half the time left before it, so a case
    received in the last days before ANCHOR gets there in time (its steps come closer
    together).
    """

    def __init__(
        self,
        world: _World,
        uow: UnitOfWork,
        case: Case,
        plan: _CasePlan,
        rng: random.Random,
        sv: random.Random,
    ) -> None:
        self.world = world
        self.uow = uow
        self.s: Session = uow.session
        self.case = case
        self.plan = plan
        self.rng = rng
        #: The draws of supervision (催办, 督办 …), apart from the workflow's, so that the
        #: cases' other data do not depend on them.
        self.sv = sv
        #: Supervision rungs raised on this case, and how many of them were answered.
        self.rungs = self.answered = 0
        self.t = plan.received_at + timedelta(minutes=5 + len(plan.parties))  # registered
        self.suggestion = world.suggest(self.s, plan.kind, plan.division_code)
        track = self.suggestion.track
        roll = rng.random()
        if track == "mediation" and roll < 0.06:
            track = "petition"
        elif track == "mediation" and roll < 0.09:
            track = "litigation"
        elif track == "mediation" and roll < 0.11:
            track = "administrative"
        self.track = track
        self.complexity = rng.choices(
            ("simple", "ordinary", "complex"), weights=(25, 55, 20) if not plan.group_matter
            else (5, 45, 50),
        )[0]  # fmt: skip
        outcomes = list(_OUTCOME_WEIGHTS)
        self.outcome = rng.choices(outcomes, weights=list(_OUTCOME_WEIGHTS.values()))[0]
        #: What the unit reports (the close note repeats it when the mediation failed).
        self.result = rng.choice(_FEEDBACK[self.outcome])
        self.returned: set[str] = set()

    # -- time

    def later(self, low: timedelta, high: timedelta) -> datetime:
        """A moment `low` to `high` after the current one, before ANCHOR, in office hours
        (on a working day when it is hours on; the duty officer works at weekends)."""
        delay = low + (high - low) * self.rng.random()
        room = ANCHOR - self.t
        at = self.t + min(delay, room / 2)
        moved = _office_hours(at, self.rng, weekdays=delay >= 4 * _HOUR)
        return moved if moved <= self.t + room / 2 else at

    def act(self, action: str, data: Any, at: datetime, by: Actor | None = None) -> None:
        self.t = max(at, self.t)
        self.uow.now = self.t
        self.uow.actor = by or self.world.cast.officer
        workflow.RUNNERS[action](self.uow, self.case.id, data)

    # -- the steps

    def triage(self, at: datetime | None = None) -> None:
        """研判: the suggested level and unit (now and then the second one, and a co-unit)."""
        rng = self.rng
        units = self.candidates()
        # After a return, the unit the returning one named.
        lead = units[0] if len(units) == 1 or self.returned or rng.random() < 0.85 else units[1]
        others = [u for u in units if u != lead]
        co = (rng.choice(others),) if others and rng.random() < 0.25 else ()
        level = self.world.units.get(lead, ("", "city"))[1]
        note = f"{self.suggestion.reason}；{rng.choice(_TRIAGE_NOTES)}"
        data = workflow.TriageInput(level, self.track, self.complexity, lead, co, note)
        late = rng.random() < 0.08
        self.act("triage", data, at or self.later(
            _DAY if late else 10 * _MINUTE, 2 * _DAY if late else 3 * _HOUR
        ))  # fmt: skip

    def dispatch(self) -> None:
        """交办, with the default handling limit or (sometimes) the longer one and why."""
        rng = self.rng
        case = self.case
        choice = deadlines.handle_options(
            self.world.rules, track=case.track, dispute_type_code=case.dispute_type_code,
            complexity=case.complexity,
        )  # fmt: skip
        longer = choice.longer if rng.random() < 0.1 else None
        data = workflow.DispatchInput(
            asked=rng.choice(_ASKED.get(case.track, _ASKED["other"])),
            handle_days=longer.days if longer else None,
            longer_reason=rng.choice(_LONGER_REASONS) if longer else "",
        )
        late = rng.random() < 0.08
        self.act("dispatch", data, self.later(
            _DAY if late else 20 * _MINUTE, 3 * _DAY if late else 6 * _HOUR
        ))  # fmt: skip

    def route(self) -> None:
        """研判 and 交办; a unit now and then returns the case (退单), which is then routed
        to another unit."""
        self.triage()
        self.dispatch()
        if self.rng.random() < RETURN_SHARE:
            self.bounce()
            self.triage(self.later(_HOUR, _DAY))
            self.dispatch()

    def candidates(self) -> list[str]:
        """The suggested units in order, less those that returned the case; the city's
        mediation committee or justice bureau when none is left."""
        units = [u for u in self.suggestion.units if u not in self.returned]
        return units or [u for u in ("JH-TWH", "JH-SFJ") if u not in self.returned]

    def bounce(self) -> None:
        """退单 within the return window: the unit names who should take it."""
        self.returned.add(self.case.lead_unit_code)
        nxt = self.candidates()[0]
        text = self.rng.choice(_RETURN_REASONS).format(u=self.world.units.get(nxt, ("", ""))[0])
        data = workflow.UnitStepInput(on_behalf=True, text=text)
        self.act("return", data, self.later(2 * _HOUR, 2 * _DAY), self.world.cast.mediator)

    def up(self) -> None:
        """研判 as beyond this level's authority, and 上报 to the upper center."""
        rng = self.rng
        note = rng.choice(_UPPER_NOTES)
        data = workflow.TriageInput("upper", "petition" if self.plan.kind == "23" else self.track,
                                    "complex", note=note)  # fmt: skip
        self.triage_up(data)
        self.act("escalate", workflow.NoteInput(note=note), self.later(_HOUR, 2 * _DAY))

    def triage_up(self, data: workflow.TriageInput) -> None:
        self.act("triage", data, self.later(10 * _MINUTE, 4 * _HOUR))

    def send_back(self) -> None:
        note = self.rng.choice(_SENT_BACK_NOTES)
        self.act("send_back", workflow.NoteInput(note=note), self.later(3 * _DAY, 20 * _DAY))

    def sign(self) -> None:
        late = self.rng.random() < 0.12
        at = self.later(30 * _HOUR, 4 * _DAY) if late else self.later(20 * _MINUTE, 6 * _HOUR)
        urged = self.urge_sign(at) if late else None
        self.act("sign", workflow.UnitStepInput(on_behalf=True), at, self.world.cast.mediator)
        if urged is not None:  # the unit answers the 催办 once it has signed
            self.answer(urged, "sign", self.soon())

    def start(self) -> None:
        data = workflow.UnitStepInput(on_behalf=True, text=self.rng.choice(_WORK_TEXTS))
        self.act("start", data, self.later(_HOUR, 2 * _DAY), self.world.cast.mediator)

    def handling(self, final: bool) -> None:
        """While the unit works: a joint mediation, an extension, a pause (left paused now
        and then when the case stays in handling)."""
        rng = self.rng
        if rng.random() < (JOINT_SHARE_GROUP if self.plan.group_matter else JOINT_SHARE):
            self.joint()
        rule = deadlines.pick(self.world.rules, "handle", track=self.case.track)
        if rule is not None and rule.max_extension_days > 0 and rng.random() < EXTEND_SHARE:
            self.extend(rule)
        if rng.random() < PAUSE_SHARE:
            self.pause(resume=not final or rng.random() < 0.6)

    def _handling_point(self, share: float) -> datetime:
        """The moment `share` of the handling time (dispatch to its deadline) has passed,
        or a little later than now if that is past."""
        case = self.case
        start, due = case.step_started_at, case.handle_due_at
        if start is None or due is None:
            return self.later(_HOUR, _DAY)
        at = start + (due - start) * share
        if at <= self.t:
            return self.later(_HOUR, 6 * _HOUR)
        latest = self.t + (ANCHOR - self.t) / 2
        moved = _office_hours(at, self.rng, weekdays=True)
        return moved if moved <= latest else min(at, latest)

    def joint(self) -> None:
        """中心吹哨、部门报到: the units summoned, their confirmations, the meeting held (one
        unit absent now and then)."""
        rng = self.rng
        uow, cast = self.uow, self.world.cast
        codes = [c for c in self.case.unit_codes.split(",") if c]
        for extra in self.suggestion.units:
            if len(codes) >= 3 or (len(codes) >= 2 and rng.random() < 0.5):
                break
            if extra not in codes:
                codes.append(extra)
        if len(codes) < 2:
            return
        self.t = self.later(_HOUR, 2 * _DAY)
        day = self.later(_DAY, 5 * _DAY)
        slot = rng.choice(((9, 30), (10, 0), (14, 30), (15, 0)))
        scheduled = datetime.combine(
            day.astimezone(SHANGHAI).date(), dt_time(*slot), tzinfo=SHANGHAI
        ).astimezone(UTC)
        if not self.t < scheduled <= self.t + (ANCHOR - self.t) / 2:
            scheduled = day.replace(second=0, microsecond=0)
        if scheduled <= self.t:
            return
        place = rng.choice(_JOINT_PLACES).format(t=self.plan.town_name)
        link = f"https://video.jinghong.example/room/{rng.randrange(10**8):08d}"
        data = joint.ConveneInput(
            scheduled_at=scheduled, place=place, matter=f"{self.case.title}联合调解",
            unit_codes=tuple(codes), expert_link=link if rng.random() < 0.2 else "",
        )  # fmt: skip
        uow.now, uow.actor = self.t, cast.officer
        meeting = joint.convene(uow, self.case.id, data)
        uow.actor = cast.mediator
        for i, code in enumerate(codes):
            if rng.random() < 0.9:
                at = self.t + (scheduled - self.t) * (0.1 + 0.1 * i + 0.05 * rng.random())
                moved = _office_hours(at, rng, weekdays=False)
                uow.now = moved if moved < scheduled else at
                joint.confirm(uow, meeting, code)
        absent = rng.choice(codes[1:]) if rng.random() < JOINT_ABSENT_SHARE else ""
        attendance = [
            joint.Attendance(c, c != absent, rng.choice(_ABSENT_REASONS) if c == absent else "")
            for c in codes
        ]
        self.t = scheduled
        self.t = self.later(2 * _HOUR, 3 * _HOUR)
        uow.now, uow.actor = self.t, cast.officer
        result = rng.choice(("双方达成初步共识", "各单位明确分工，限期落实", "双方意见仍有分歧"))
        joint.record(uow, meeting, attendance, result)

    def extend(self, rule: deadlines.Rule) -> None:
        days = min(self.rng.choice((7, 10, 15, 15, 20, 30)), rule.max_extension_days)
        data = workflow.ExtendInput(
            days, self.rng.choice(_EXTEND_REASONS), parties_consent=rule.extension_needs_consent
        )
        self.act("extend", data, self._handling_point(self.rng.uniform(0.6, 0.9)))

    def pause(self, resume: bool) -> None:
        rng = self.rng
        appraisal = self.case.track == "medical" and rng.random() < 0.6
        reason = "appraisal" if appraisal else "citizen"
        data = workflow.PauseInput(reason, rng.choice(_PAUSE_NOTES[reason]))
        self.act("pause", data, self._handling_point(rng.uniform(0.2, 0.6)))
        if resume:
            at = self.later(15 * _DAY, 45 * _DAY) if appraisal else self.later(2 * _DAY, 15 * _DAY)
            self.act("resume", workflow.NoteInput(note=rng.choice(_RESUME_NOTES)), at)

    def feedback(self) -> None:
        """反馈 of the planned outcome, mostly within the handling time; 退回重办 now and
        then."""
        rng = self.rng
        share = rng.uniform(1.02, 1.3) if rng.random() < 0.15 else rng.uniform(0.3, 0.95)
        self.supervise_handling(share)
        self._feedback(self._handling_point(share))
        if rng.random() < 0.06:
            note = rng.choice(_REWORK_NOTES)
            self.act("rework", workflow.NoteInput(note=note), self.later(_HOUR, 2 * _DAY))
            self._feedback(self.later(2 * _DAY, 7 * _DAY))

    def _feedback(self, at: datetime) -> None:
        data = workflow.UnitStepInput(on_behalf=True, text=self.result)
        self.act("feedback", data, at, self.world.cast.mediator)

    def close(self) -> None:
        rng = self.rng
        outcome, referral, note = self.outcome, "", ""
        if outcome == "failed":
            if self.case.track == "labour":
                referral = "arbitration"
            elif self.case.track == "administrative":
                referral = "review"
            elif rng.random() < 0.7:
                referral = "litigation"
            note = self.result
        elif outcome == "terminated":
            note = self.result
        data = workflow.CloseInput(outcome, referral, note)
        self.act("close", data, self.later(2 * _HOUR, 3 * _DAY))

    # -- supervision (催办, 督办 …): the real `supervision` commands, by the officer

    def rung(
        self, level: str, at: datetime, messages: Sequence[str], unit_code: str = ""
    ) -> uuid.UUID:
        """Raise `level` against the unit (the lead one by default) at `at`, with an
        answer-by date some working days later."""
        uow = self.uow
        self.t = max(at, self.t)
        uow.now, uow.actor = self.t, self.world.cast.officer
        days = _ANSWER_DAYS[level]
        due = deadlines.compute_due(self.world.calendar, self.t, days, True).due_at
        data = SuperviseInput(level, unit_code, self.sv.choice(messages).format(d=days), due)
        self.rungs += 1
        return supervision.raise_supervision(uow, self.case.id, data)

    def answer(self, supervision_id: uuid.UUID, kind: str, at: datetime) -> None:
        """The unit's answer to a rung, recorded for it by center staff (no demo unit has
        a desk of its own): mostly the mediator, now and then the officer."""
        uow, cast = self.uow, self.world.cast
        self.t = max(at, self.t)
        uow.now = self.t
        uow.actor = cast.mediator if self.sv.random() < 0.7 else cast.officer
        supervision.respond(uow, supervision_id, self.sv.choice(_ANSWERS[kind]), True)
        self.answered += 1

    def soon(self) -> datetime:
        """10 minutes to 2 hours from now (within the steps' room before ANCHOR)."""
        return self.t + min(self.sv.uniform(10, 120) * _MINUTE, (ANCHOR - self.t) / 2)

    def between(self, start: datetime, end: datetime, low: float, high: float) -> datetime | None:
        """A moment `low` to `high` of the way from `start` (not before now) to `end`, in
        office hours on a working day when that stays before `end`; None: no room."""
        start = max(start, self.t)
        if end - start < 10 * _MINUTE:
            return None
        at = start + (end - start) * self.sv.uniform(low, high)
        moved = _office_hours(at, self.sv, weekdays=True)
        return moved if moved < end else at

    def urge_sign(self, sign_at: datetime) -> uuid.UUID | None:
        """催办 of a unit that has not signed in time, before it signs at `sign_at`."""
        case = self.case
        if case.step != "sign" or case.due_at is None or self.sv.random() >= URGE_LATE_SIGN_SHARE:
            return None
        at = self.between(case.due_at, sign_at - 10 * _MINUTE, 0.1, 0.6)
        return None if at is None else self.rung("urge", at, _URGE_SIGN)

    def supervise_handling(self, share: float) -> None:
        """Before the unit's feedback at `share` of its handling time: 催办 when it is late
        (then 督办 now and then, rarely a heavier rung) or near due, mostly answered."""
        sv, case = self.sv, self.case
        start, due = case.step_started_at, case.handle_due_at
        if start is None or due is None or case.paused_at is not None:
            return
        span = due - start
        # Every rung and answer stays before the feedback (and within the steps' room).
        end = min(start + span * share, self.t + (ANCHOR - self.t) / 2)
        if share > 1:
            if sv.random() >= URGE_LATE_FEEDBACK_SHARE:
                return
            first = self.between(start + span * sv.uniform(0.9, 1.0), end, 0.0, 0.3)
            messages = _URGE_LATE if first is not None and first > due else _URGE_NEAR
        else:
            if share < 0.8 or sv.random() >= URGE_NEAR_DUE_SHARE:
                return
            first = self.between(start + span * 0.7, end, 0.0, 0.4)
            messages = _URGE_NEAR
        if first is None:
            return
        urged = self.rung("urge", first, messages)
        heavier = share > 1 and sv.random() < SUPERVISE_SHARE
        if sv.random() < ANSWERED_SHARE:
            at = self.between(first, end, 0.1, 0.35 if heavier else 0.7)
            if at is not None:
                self.answer(urged, "urge", at)
        if not heavier:
            return
        at = self.between(first + _DAY, end, 0.2, 0.5)
        if at is None:
            return
        supervised = self.rung("supervise", at, _SUPERVISE)
        if sv.random() < ANSWERED_SHARE:
            answer_at = self.between(at, end, 0.2, 0.5)
            if answer_at is not None:
                self.answer(supervised, "supervise", answer_at)
        if sv.random() < HEAVY_SHARE:
            level = sv.choice(("listed", "listed", "notice", "interview"))
            at = self.between(at + _DAY, end, 0.2, 0.6)
            if at is not None:
                heavy = self.rung(level, at, _HEAVY[level])
                answer_at = self.between(at, end, 0.3, 0.9)
                if answer_at is not None and sv.random() < ANSWERED_SHARE:
                    self.answer(heavy, "heavy", answer_at)

    def supervise_open(self) -> None:
        """A case left with its unit at ANCHOR: urged when it is overdue (more so the longer
        it is), 督办 when urging did not help; sometimes urged when near due. About half
        the rungs are answered yet."""
        sv, case = self.sv, self.case
        if (
            case.status not in workflow.WITH_UNIT
            or case.due_at is None
            or case.paused_at is not None
        ):
            return
        if case.due_at >= ANCHOR:
            near = case.warn_at is not None and case.warn_at < ANCHOR
            if near and sv.random() < URGE_OPEN_NEAR_DUE_SHARE:
                first = self.between(case.warn_at or self.t, ANCHOR, 0.2, 0.8)
                if first is not None:
                    urged = self.rung("urge", first, _URGE_NEAR)
                    self._maybe_answer(urged, "urge")
            return
        if sv.random() >= URGE_OPEN_OVERDUE_SHARE:
            return
        messages = _URGE_SIGN if case.step == "sign" else _URGE_LATE
        first = self.between(case.due_at, ANCHOR, 0.0, 0.4)
        if first is None:
            return
        urged = self.rung("urge", first, messages)
        codes = [c for c in case.unit_codes.split(",") if c]
        if len(codes) > 1 and case.step != "sign" and sv.random() < 0.2:
            self.rung("urge", self.soon(), _URGE_LATE, codes[1])  # the co-handling unit too
        self._maybe_answer(urged, "unsigned" if case.step == "sign" else "urge")
        if ANCHOR - self.t < 3 * _DAY or sv.random() >= 1.5 * SUPERVISE_SHARE:
            return
        at = self.between(self.t + 2 * _DAY, ANCHOR, 0.1, 0.6)
        if at is None:
            return
        supervised = self.rung("supervise", at, _SUPERVISE)
        self._maybe_answer(supervised, "supervise")
        if ANCHOR - self.t < 3 * _DAY or sv.random() >= HEAVY_SHARE:
            return
        level = sv.choice(("listed", "listed", "notice", "interview"))
        at = self.between(self.t + 2 * _DAY, ANCHOR, 0.1, 0.6)
        if at is not None:
            self._maybe_answer(self.rung(level, at, _HEAVY[level]), "heavy")

    def _maybe_answer(self, supervision_id: uuid.UUID, kind: str) -> None:
        if self.sv.random() < ANSWERED_OPEN_SHARE:
            at = self.between(self.t, ANCHOR, 0.1, 0.5)
            if at is not None:
                self.answer(supervision_id, kind, at)

    def work(self) -> None:
        """From registration to the unit's feedback: routed, signed, handled."""
        self.route()
        self.sign()
        self.start()
        self.handling(final=False)
        self.feedback()

    def done(self) -> None:
        """To 已办结: most cases worked here; a few reported up (closed there, or sent back
        and worked here)."""
        roll = self.rng.random()
        if roll < UPPER_CLOSED_SHARE:
            self.up()
            note = self.rng.choice(_UPPER_CLOSE_NOTES)
            data = workflow.CloseInput("upper", note=note)
            self.act("close", data, self.later(10 * _DAY, 40 * _DAY))
            return
        if roll < UPPER_CLOSED_SHARE + SENT_BACK_SHARE:
            self.up()
            self.send_back()
        self.work()
        self.close()

    def visit(self) -> None:
        rng = self.rng
        satisfaction = rng.choices(
            list(_SATISFACTION_WEIGHTS), weights=list(_SATISFACTION_WEIGHTS.values())
        )[0]
        data = workflow.VisitInput(satisfaction, rng.choice(_VISIT_NOTES[satisfaction]))
        cast = self.world.cast
        by = cast.clerk if rng.random() < 0.4 else cast.officer
        self.act("visit", data, self.later(3 * _DAY, 14 * _DAY), by)

    def archive(self) -> None:
        self.act("archive", workflow.NoteInput(), self.later(5 * _DAY, 40 * _DAY))


Lifecycle = Callable[[_Life], None]


def _stay(life: _Life) -> None:
    """待研判: most just registered; some triaged and waiting to be routed, some returned
    by a unit or sent back by the upper center and waiting to be triaged again."""
    roll = life.rng.random()
    if roll < 0.15:
        life.triage()
    elif roll < 0.27:
        life.triage()
        life.dispatch()
        life.bounce()
    elif roll < 0.32:
        life.up()
        life.send_back()


def _dispatched(life: _Life) -> None:
    life.route()
    life.supervise_open()


def _signed(life: _Life) -> None:
    life.route()
    life.sign()
    if life.rng.random() < PAUSE_SHARE / 2:
        life.pause(resume=False)
    life.supervise_open()


def _in_progress(life: _Life) -> None:
    life.route()
    life.sign()
    life.start()
    life.handling(final=True)
    life.supervise_open()


def _fed_back(life: _Life) -> None:
    life.work()


def _closed(life: _Life) -> None:
    life.done()


def _visited(life: _Life) -> None:
    life.done()
    life.visit()


def _archived(life: _Life) -> None:
    life.done()
    life.visit()
    life.archive()


def _escalated(life: _Life) -> None:
    """已上报: mostly on triage; some while in handling, when it proved beyond this level."""
    if life.rng.random() < 0.6:
        life.up()
        return
    life.route()
    life.sign()
    life.start()
    note = life.rng.choice(_UPPER_NOTES)
    life.act("escalate", workflow.NoteInput(note=note), life.later(2 * _DAY, 15 * _DAY))


#: How a registered demo case reaches each status, run in the same unit of work after
#: the registration is flushed, so status changes become transition ops like real work.
#: When the workflow grows a status, add its step here and its share to STATUS_WEIGHTS;
#: a status missing here is left out of the demo (and the demo test says so).
LIFECYCLE: dict[str, Lifecycle] = {
    "pending_triage": _stay,
    "dispatched": _dispatched,
    "signed": _signed,
    "in_progress": _in_progress,
    "fed_back": _fed_back,
    "closed": _closed,
    "visited": _visited,
    "archived": _archived,
    "escalated": _escalated,
}


def demo_statuses() -> list[str]:
    """The statuses the demo can produce, in the order of `STATUSES`."""
    missing = [s for s in STATUSES if s not in LIFECYCLE]
    if missing:
        log.warning("demo data cannot reach statuses %s yet: extend demo.LIFECYCLE", missing)
    return [s for s in STATUSES if s in LIFECYCLE]


def _by_age(rng: random.Random, statuses: list[str]) -> list[str]:
    """`statuses` reordered to go with reception times oldest first: open cases are mostly
    recent (the newest ones are open), done ones older."""

    def age(status: str) -> float:
        if status in _DONE_AGE:
            return rng.uniform(*_DONE_AGE[status])
        if rng.random() < _STALE_SHARE:
            return rng.uniform(0, SPAN_DAYS)
        return rng.expovariate(1 / _OPEN_AGE.get(status, 10.0))

    keyed = [(age(s), s) for s in statuses]
    keyed.sort(key=lambda k: -k[0])
    return [s for _, s in keyed]


# --- reference data -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    code: str
    name: str
    short: str
    level: str  # town | village
    kind: str
    town_code: str
    town_name: str


@dataclass(frozen=True)
class _Kind:
    code: str
    name: str
    subtypes: tuple[str, ...]


def _load_places(desk: Desk) -> list[_Place]:
    with desk.db.read() as s:
        rows = s.execute(
            select(
                Division.code,
                Division.name,
                Division.short_name,
                Division.level,
                Division.kind,
                Division.parent_code,
            )
            .where(Division.level.in_(("town", "village")), Division.voided_at.is_(None))
            .order_by(Division.code)
        ).all()
    towns = {r.code: r for r in rows if r.level == "town"}
    places: list[_Place] = []
    for r in rows:
        town = r if r.level == "town" else towns.get(r.parent_code or "")
        if town is None:
            continue
        places.append(_Place(r.code, r.name, r.short_name, r.level, r.kind, town.code, town.name))
    return places


def _load_kinds(desk: Desk) -> list[_Kind]:
    with desk.db.read() as s:
        rows = s.execute(
            select(DisputeType.code, DisputeType.name, DisputeType.parent_code)
            .where(DisputeType.voided_at.is_(None))
            .order_by(DisputeType.sort_order, DisputeType.code)
        ).all()
    subs: dict[str, list[str]] = {}
    for r in rows:
        if r.parent_code is not None:
            subs.setdefault(r.parent_code, []).append(r.name)
    return [
        _Kind(r.code, r.name, tuple(subs.get(r.code, ())))
        for r in sorted(rows, key=lambda r: r.code)
        if r.parent_code is None
    ]


def _load_actors(desk: Desk) -> tuple[Actor, Actor]:
    """Who registers demo cases: (weekday clerk, weekend duty officer).

    clerk1 and officer1 when they exist; otherwise another active clerk or
    officer; otherwise the command line's system account.
    """
    with desk.db.read() as s:
        rows = s.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
        actors = [
            Actor(u.username, u.full_name, frozenset(Role(r) for r in u.roles), u.id) for u in rows
        ]
    by_name = {a.username: a for a in actors}

    def pick(name: str, role: Role) -> Actor | None:
        return by_name.get(name) or next((a for a in actors if role in a.roles), None)

    clerk = pick("clerk1", Role.CLERK) or pick("officer1", Role.OFFICER) or Actor.command_line()
    officer = by_name.get("officer1") or clerk
    for actor in (clerk, officer):
        require(actor, Role.CLERK, Role.OFFICER)
    return clerk, officer


def _load_world(desk: Desk) -> _World:
    """The demo's workers (`_Cast`), the deadline rules and the units.

    The officer: officer1, another active officer, an active administrator, else the
    command line's account; the mediator: mediator1, another active mediator, else the
    officer; the clerk for follow-up calls: clerk1, another active clerk, else the officer.
    """
    with desk.db.read() as s:
        rows = s.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
        actors = [
            Actor(u.username, u.full_name, frozenset(Role(r) for r in u.roles), u.id) for u in rows
        ]
        rules = deadlines.load_rules(s)
        units = {
            u.code: (u.name, u.level)
            for u in s.scalars(select(Unit).where(Unit.voided_at.is_(None), Unit.active))
        }
        calendar = load_calendar(s)
    by_name = {a.username: a for a in actors}

    def pick(name: str, role: Role) -> Actor | None:
        return by_name.get(name) or next((a for a in actors if role in a.roles), None)

    officer = pick("officer1", Role.OFFICER) or pick("admin", Role.ADMIN) or Actor.command_line()
    cast = _Cast(
        officer=officer,
        mediator=pick("mediator1", Role.MEDIATOR) or officer,
        clerk=pick("clerk1", Role.CLERK) or officer,
    )
    return _World(cast, rules, units, calendar)


# --- names -------------------------------------------------------------------------------

_HAN_SURNAMES = (
    "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文普施字"
)
_HAN_MALE = "伟强军勇斌涛明华建国平志文俊杰鹏磊波辉刚林海东成福德永兴春龙云飞宏荣祥贵洪学忠"
_HAN_FEMALE = "芳丽娟敏静燕艳霞玲红梅萍琼英秀兰凤琴华雪婷慧娜倩云春桂琳丹颖洁蓉菊莲晓"
_DAI_MALE = "温罕香应糯光坎叫拉扁庄胆燕三丙恩坦依宰甩保论章捧龙南伦腊旺嘎"
_DAI_FEMALE = "香罕应儿南叫旺光坎波喃嫩燕康拉章丙坦金论"
_HANI_SURNAMES = "车白李杨马黄王普"
_HANI_SYLLABLES = "三波才者扎批收朗约沙拉牛诺切普飘优嘎布龙黑然努伯茶明"
_HANI_FEMALE = "咪娜妞梅然飘秀"
_JINO_SURNAMES = ("沙", "白", "资", "车", "周", "何", "杰", "先", "腰", "木", "布")
_JINO_GIVEN = (
    "车", "腊先", "切", "布鲁", "者", "卓", "波", "拉", "资", "木拉", "则", "腰", "泽",
    "先", "飘", "优", "收", "布", "卓然", "思", "车布",
)  # fmt: skip
_LAO_MALE = (
    "SOMPHONE", "KHAMPHET", "BOUNMY", "NOY", "SOUKSAVANH", "PHONESAVANH", "VIENGKHAM",
    "KHAMSING", "SENGPHET", "THONGSAVATH", "PHOUT", "SISOUK", "BOUNLEUA", "KHAMLA",
)  # fmt: skip
_LAO_FEMALE = (
    "MANIVONE", "KEO", "VANH", "DAVONE", "SOMSAMAI", "CHANTHALY", "PHOUANGMALY", "NOUSONE",
    "VIENGXAY", "ALOUNNY",
)  # fmt: skip
_LAO_FAMILY = (
    "VONGSA", "SIHARATH", "PHOMMAVONG", "KEOMANY", "INTHAVONG", "SOUVANNAVONG", "SAYAVONG",
    "CHANTHAVONG", "LUANGRATH", "VILAYSACK", "DOUANGCHAMPA", "SENGSOULIN", "XAYASENG",
)  # fmt: skip
_MM_MALE = ("AUNG", "KYAW", "ZAW", "MIN", "HTET", "THET", "NAING", "KO", "WIN", "TUN", "SOE",
            "HLAING", "OO", "LIN", "MAUNG", "ZIN")  # fmt: skip
_MM_FEMALE = ("MYA", "KHIN", "SU", "THIDA", "AYE", "SANDAR", "EI", "PHYU", "HNIN", "WAI",
              "ZIN", "MAR", "NWE", "YI")  # fmt: skip

#: Other ethnic groups of the area now and then (GB/T 3304 code: weight).
_OTHER_ETHNICITIES = {
    "07": 3.0, "24": 2.0, "34": 2.0, "13": 1.5, "06": 1.0, "03": 1.0, "14": 1.0,
    "21": 0.5, "20": 0.5, "15": 0.3, "08": 0.3,
}  # fmt: skip

#: Name styles by township (9-digit code): weights of han, dai, hani, jino, other.
_URBAN_MIX = (0.50, 0.30, 0.10, 0.02, 0.08)
_TOWN_MIX: dict[str, tuple[float, float, float, float, float]] = {
    "532801103": (0.17, 0.50, 0.25, 0.00, 0.08),  # 勐龙镇
    "532801104": (0.20, 0.75, 0.05, 0.00, 0.00),  # 勐罕镇
    "532801105": (0.35, 0.25, 0.20, 0.00, 0.20),  # 勐养镇
    "532801106": (0.60, 0.10, 0.15, 0.00, 0.15),  # 普文镇
    "532801202": (0.15, 0.20, 0.60, 0.00, 0.05),  # 景哈哈尼族乡
    "532801203": (0.30, 0.30, 0.20, 0.00, 0.20),  # 景讷乡
    "532801204": (0.60, 0.05, 0.20, 0.00, 0.15),  # 大渡岗乡
    "532801205": (0.35, 0.00, 0.20, 0.00, 0.45),  # 勐旺乡
    "532801206": (0.15, 0.05, 0.05, 0.75, 0.00),  # 基诺山基诺族乡
    "532801402": (0.70, 0.20, 0.05, 0.00, 0.05),  # 东风农场
    "532801403": (0.70, 0.20, 0.05, 0.00, 0.05),  # 橄榄坝农场
    "532801408": (0.80, 0.10, 0.10, 0.00, 0.00),  # 西双版纳监狱
}
_STYLES = ("han", "dai", "hani", "jino", "other")
_STYLE_ETHNICITY = {"han": "01", "dai": "18", "hani": "16", "jino": "56"}
_STYLE_LANGUAGE = {"dai": "傣语", "hani": "哈尼语", "jino": "基诺语"}


def _han_name(rng: random.Random, male: bool) -> str:
    pool = _HAN_MALE if male else _HAN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.65 else "")
    return rng.choice(_HAN_SURNAMES) + given


def _dai_name(rng: random.Random, male: bool) -> str:
    if rng.random() < 0.08:  # Dai families of the old nobility use the surname 刀
        return "刀" + _han_name(rng, male)[1:]
    pool = _DAI_MALE if male else _DAI_FEMALE
    name = ("岩" if male else "玉") + rng.choice(pool)
    roll = rng.random()
    if roll < 0.20:
        name += rng.choice(pool)
    elif roll < 0.23:
        name += "·" + rng.choice(pool)
    return name


def _hani_name(rng: random.Random, male: bool) -> str:
    if rng.random() < 0.35:  # patronymic chain: the father's last syllable comes first
        second = rng.choice(_HANI_SYLLABLES if male else _HANI_FEMALE)
        return rng.choice(_HANI_SYLLABLES) + second
    given = rng.choice(_HANI_SYLLABLES)
    if rng.random() < 0.5:
        given += rng.choice(_HANI_SYLLABLES if male else _HANI_FEMALE)
    return rng.choice(_HANI_SURNAMES) + given


def _jino_name(rng: random.Random, _male: bool) -> str:
    return rng.choice(_JINO_SURNAMES) + rng.choice(_JINO_GIVEN)


_NAMERS: dict[str, Callable[[random.Random, bool], str]] = {
    "han": _han_name,
    "dai": _dai_name,
    "hani": _hani_name,
    "jino": _jino_name,
    "other": _han_name,
}

# --- ID numbers, phones, addresses -----------------------------------------------------

#: Where residents' ID numbers come from: (address code, weight) for local styles and Han.
_LOCAL_CODES = (("532801", 80.0), ("532822", 6.0), ("532823", 6.0), ("530802", 2.0),
                ("530102", 2.0), ("532501", 1.0), ("530111", 1.0))  # fmt: skip
_HAN_CODES = (
    ("532801", 50.0), ("530102", 6.0), ("530111", 4.0), ("532822", 4.0), ("532823", 4.0),
    ("530802", 3.0), ("530381", 2.0), ("532301", 2.0), ("510104", 4.0), ("500103", 3.0),
    ("430102", 3.0), ("520102", 3.0), ("410102", 2.0), ("420106", 2.0), ("440106", 2.0),
    ("330106", 1.5), ("450102", 1.5), ("360102", 1.0), ("130102", 1.0), ("210102", 1.0),
)  # fmt: skip
#: 景洪 became a city in 1993 (532801); the county's old code 532821 stays on older cards.
_RETIRED_JINGHONG = "532821"
#: Where ID address codes from outside 景洪 point to (for the party's address).
_PLACE_OF_CODE = {
    "532822": "云南省西双版纳傣族自治州勐海县", "532823": "云南省西双版纳傣族自治州勐腊县",
    "530802": "云南省普洱市思茅区", "530102": "云南省昆明市五华区", "530111": "云南省昆明市官渡区",
    "532501": "云南省红河哈尼族彝族自治州个旧市", "530381": "云南省曲靖市宣威市",
    "532301": "云南省楚雄彝族自治州楚雄市", "510104": "四川省成都市锦江区",
    "500103": "重庆市渝中区", "430102": "湖南省长沙市芙蓉区", "520102": "贵州省贵阳市南明区",
    "410102": "河南省郑州市中原区", "420106": "湖北省武汉市武昌区",
    "440106": "广东省广州市天河区", "330106": "浙江省杭州市西湖区",
    "450102": "广西壮族自治区南宁市兴宁区", "360102": "江西省南昌市东湖区",
    "130102": "河北省石家庄市长安区", "210102": "辽宁省沈阳市和平区",
}  # fmt: skip
_HOME_STREETS = ("人民路", "解放路", "建设路", "中山路", "新华路", "胜利路")
_STREETS = ("宣慰大道", "民航路", "勐泐大道", "景洪东路", "嘎兰路", "勐海路", "曼听路",
            "勐龙路", "景德路", "澜沧江路", "孔雀湖路", "告庄西双景大道", "江北大道")  # fmt: skip
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                    "151", "152", "157", "158", "159", "166", "177", "180", "181", "182",
                    "183", "186", "187", "188", "189", "191", "199")  # fmt: skip


def _resident_id(rng: random.Random, code: str, born: date, male: bool) -> str:
    seq = rng.randrange(500) * 2 + (1 if male else 0)
    first17 = f"{code}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def _mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _landline(rng: random.Random) -> str:
    return f"0691-{rng.choice('2236')}{rng.randrange(10**6):06d}"


def _place_detail(rng: random.Random, place: _Place) -> str:
    if place.kind == "village_committee":
        return f"{place.short}{rng.randint(1, 12)}组"
    if place.kind == "community_committee":
        return f"{place.short}{rng.choice(_STREETS)}{rng.randint(1, 280)}号"
    if place.kind == "virtual_area" or place.kind == "state_farm":
        return f"{place.town_name}{rng.randint(1, 15)}队"
    return f"{place.short}辖区"


def _local_address(rng: random.Random, place: _Place) -> str:
    return f"云南省景洪市{place.town_name}{_place_detail(rng, place)}"


# --- organisations ----------------------------------------------------------------------

_BRANDS = ("宏达", "恒通", "鑫源", "瑞丰", "顺发", "兴隆", "嘉禾", "永盛", "华欣", "锦程",
           "盛景", "佳禾", "润泽", "腾越", "绿野", "椰林", "澜江", "曼宁", "彩云", "孔雀湖",
           "南方", "金穗", "傣乡", "茶韵", "雨林", "象山", "江畔", "星光")  # fmt: skip
#: Organisation patterns: (name template, USCC prefix of registering authority and kind).
_ORGS: dict[str, tuple[tuple[str, str], ...]] = {
    "company": (
        ("西双版纳{b}建筑工程有限公司", "91"), ("景洪{b}橡胶制品有限公司", "91"),
        ("西双版纳{b}茶业有限公司", "91"), ("景洪{b}餐饮管理有限公司", "91"),
        ("景洪{b}商贸有限公司", "91"), ("西双版纳{b}物流有限公司", "91"),
        ("景洪{b}水果种植有限公司", "91"),
    ),
    "property": (("西双版纳{b}物业服务有限公司", "91"), ("景洪{b}物业管理有限公司", "91")),
    "hospital": (("景洪{b}医院", "52"), ("景洪{b}口腔诊所", "92"), ("景洪{b}中医诊所", "92")),
    "travel": (("西双版纳{b}旅行社有限公司", "91"), ("景洪{b}度假酒店有限公司", "91"),
               ("西双版纳{b}旅游客运有限公司", "91")),
    "shop": (("景洪市{b}超市", "92"), ("景洪{b}家具城", "92"), ("景洪{b}健身会所", "92"),
             ("景洪{b}通讯器材店", "92"), ("景洪{b}汽车销售服务有限公司", "91")),
    "online": (("景洪{b}电子商务有限公司", "91"), ("西双版纳{b}文化传媒有限公司", "91")),
    "transport": (("西双版纳{b}运输有限公司", "91"), ("景洪{b}汽车租赁有限公司", "91")),
    "factory": (("景洪{b}砖厂", "92"), ("景洪{b}石材加工厂", "92"),
                ("西双版纳{b}生猪养殖有限公司", "91")),
    "coop": (("景洪市{v}{p}专业合作社", "93"),),
    "school": (("景洪{b}实验学校", "52"), ("景洪{b}幼儿园", "52")),
    "village": (("{village}", "54"),),
    "government": (("{town_gov}", "11"),),
    "lender": (("景洪{b}小额贷款有限公司", "91"), ("西双版纳{b}典当有限公司", "91")),
}  # fmt: skip
_PRODUCTS = ("橡胶", "茶叶", "香蕉", "火龙果", "澳洲坚果", "咖啡", "生猪", "蔬菜")
_GOV_SUFFIX = {"subdistrict": "办事处", "town": "人民政府", "township": "人民政府"}


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code of GB 11714 (8 characters and its check)."""
    body = "MA" + "".join(rng.choice(USCC_CHARSET[:10] + "ABCDEFGHJK") for _ in range(6))
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _uscc(rng: random.Random, prefix: str) -> str:
    first17 = prefix + "532801" + _org_code(rng)
    return first17 + uscc_check_char(first17)


# --- dispute texts ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Texts:
    """How matters of one dispute type read. Placeholders: see `_Planner._case`."""

    #: Sub-type name -> phrases for titles ("{issue}纠纷", "{issue}问题").
    issues: dict[str, tuple[str, ...]]
    #: Facts and claims that fit every sub-type of the type.
    facts: tuple[str, ...]
    claims: tuple[str, ...]
    #: Facts and claims of one sub-type; they replace the general ones for it.
    sub_facts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sub_claims: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Kind of organisation that is usually the respondent (see `_ORGS`), and how often;
    #: `sub_org` overrides both for one sub-type.
    org: str = ""
    org_share: float = 0.0
    sub_org: dict[str, tuple[str, float]] = field(default_factory=dict)
    group_share: float = 0.01
    police_share: float = 0.02
    foreign_share: float = 0.01
    #: (low, high) amount in yuan for {amt}.
    amount: tuple[int, int] = (2_000, 50_000)


_T: dict[str, _Texts] = {
    "01": _Texts(
        issues={
            "婚姻": ("婚姻家庭", "夫妻感情"),
            "离婚财产": ("离婚财产分割", "离婚后财产"),
            "赡养": ("赡养", "老人赡养"),
            "抚养/抚育": ("子女抚养费", "子女抚养"),
            "扶养": ("扶养",),
            "继承": ("遗产继承", "房屋继承"),
            "分家析产": ("分家析产",),
            "家庭暴力(涉警)": ("家庭暴力",),
        },
        facts=(
            "{a}反映，其与{b}因{issue}问题产生矛盾已有{n}个月，双方多次协商未果。",
            "{a}与{b}系亲属关系，因{issue}问题发生争执，经{v}调委会调解一次未成功。",
        ),
        claims=("请求调解{issue}问题，明确双方权利义务。", "请求依法调解，维护家庭和睦。"),
        sub_facts={
            "婚姻": ("{a}与{b}结婚{n}年，近来因家庭琐事经常争吵，{a}提出离婚，{b}不同意。",),
            "离婚财产": ("{a}与{b}已协议离婚，但对共同购置的房屋和约{amt}存款的分割意见不一。",),
            "赡养": (
                "{a}年逾七十、患病在家，{b}等子女对赡养费分摊意见不一，老人生活费长期无着落。",
                "{a}反映其子{b}外出务工后不再支付赡养费，{a}生活困难。",
            ),
            "抚养/抚育": ("{a}与{b}离婚后，{b}未按约定支付子女抚养费，累计拖欠约{amt}。",),
            "扶养": ("{a}因病丧失劳动能力，要求配偶{b}履行扶养义务，{b}以感情不和为由拒绝。",),
            "继承": ("{a}之父去世后在{v}留有房屋一处及存款约{amt}，{a}与{b}对遗产分配意见不一。",),
            "分家析产": ("{a}与{b}系兄弟姐妹，分家时对{v}老宅及{n}亩胶林的分配各执一词。",),
            "家庭暴力(涉警)": (
                "{a}称{d}晚{b}酒后对其实施殴打，已向派出所报警，现要求调解并保障人身安全。",
            ),
        },
        sub_claims={
            "婚姻": ("请求调解，双方冷静处理婚姻问题。", "请求调解离婚事宜。"),
            "离婚财产": ("请求依法调解分割共同财产。",),
            "赡养": ("要求{b}等子女按月支付赡养费，并轮流照顾老人。",),
            "抚养/抚育": ("要求{b}支付拖欠的抚养费{amt}，今后按月按时支付。",),
            "扶养": ("要求{b}履行扶养义务，承担医疗费用。",),
            "继承": ("请求依法确认各继承人的份额。",),
            "分家析产": ("请求调解分家析产，签订书面协议。",),
            "家庭暴力(涉警)": ("要求{b}停止家庭暴力并书面保证。", "请求协助申请人身安全保护令。"),
        },
        police_share=0.03,
        amount=(5_000, 300_000),
    ),
    "02": _Texts(
        issues={
            "相邻通行/采光/排水": ("通行", "采光", "排水", "相邻通行"),
            "噪音": ("噪音扰民", "噪音"),
            "琐事口角": ("琐事口角", "邻里口角"),
            "饲养动物": ("饲养动物", "犬只扰民"),
        },
        facts=(
            "{a}与{b}系{v}邻居，因{issue}问题多次发生口角，矛盾有激化趋势。",
            "{a}反映与邻居{b}之间的{issue}问题已持续{n}个月，经网格员劝解后仍未改善。",
        ),
        claims=("请求调解，双方签订相邻关系协议。", "要求{b}赔礼道歉。"),
        sub_facts={
            "相邻通行/采光/排水": (
                "{b}在{p}新砌围墙，堵住{a}家通往田地的道路，雨季排水也受影响。",
                "{b}加盖房屋后遮挡{a}家采光，双方多次交涉未果。",
            ),
            "噪音": ("{a}反映楼下{b}经营的店铺夜间噪音扰民，严重影响休息。",),
            "琐事口角": ("{a}与{b}因琐事发生口角并有推搡，双方积怨较深。",),
            "饲养动物": (
                "{b}家饲养的犬只多次咬伤{a}家鸡鸭，{a}要求赔偿未果。",
                "{b}家的牛多次进入{a}的菜地，造成损失约{amt}。",
            ),
        },
        sub_claims={
            "相邻通行/采光/排水": (
                "要求{b}拆除围墙，恢复通行和排水。",
                "请求调解，双方签订相邻关系协议。",
            ),
            "噪音": ("要求{b}夜间停止噪音扰民。",),
            "饲养动物": ("要求{b}拴养牲畜并赔偿损失{amt}。",),
        },
        police_share=0.04,
        amount=(500, 8_000),
    ),
    "03": _Texts(
        issues={
            "宅基地使用权": ("宅基地边界", "宅基地使用权"),
            "房屋买卖/租赁": ("房屋买卖", "房屋租赁"),
            "建房相邻": ("建房相邻", "建房滴水"),
        },
        facts=("{a}与{b}因{issue}问题发生争议，经{v}调委会调解未成功。",),
        claims=("请求依法调解。",),
        sub_facts={
            "宅基地使用权": ("{a}与{b}因{v}宅基地边界发生争议，双方对{p}一带界址各执一词。",),
            "房屋买卖/租赁": ("{a}于{d}与{b}签订{issue}协议，现{b}拒不履行，涉及金额{amt}。",),
            "建房相邻": ("{a}称{b}建房时越过原有界址约{n}0厘米，屋檐滴水落入{a}家院内。",),
        },
        sub_claims={
            "宅基地使用权": ("请求依据原有界址确认宅基地边界。",),
            "房屋买卖/租赁": ("要求{b}履行协议或退还{amt}。",),
            "建房相邻": ("要求{b}拆除越界部分，恢复原状。",),
        },
        police_share=0.03,
        amount=(10_000, 400_000),
    ),
    "04": _Texts(
        issues={
            "买卖": ("买卖合同",),
            "租赁": ("租赁合同", "场地租赁合同"),
            "承揽": ("承揽合同", "装修合同"),
            "服务": ("服务合同",),
            "民间借贷(可单列见19)": ("借款合同",),
        },
        facts=(
            "{a}与{b}于{d}签订{issue}，约定金额{amt}，现因履行问题产生争议。",
            "{a}反映{b}未按约定履行{issue}义务，经催告仍未履行。",
        ),
        claims=("要求{b}继续履行合同。", "要求解除合同并返还{amt}。", "要求{b}支付违约金。"),
        org="company",
        org_share=0.35,
        amount=(3_000, 200_000),
    ),
    "05": _Texts(
        issues={
            "合伙/联营": ("合伙经营", "联营分红"),
            "农资": ("农资质量", "化肥质量"),
            "种植养殖": ("种植养殖", "承包果园"),
            "橡胶/茶叶/水果购销(本地常见,推断)": ("橡胶收购", "茶叶购销", "香蕉收购"),
        },
        facts=("{a}与{b}因{issue}问题发生纠纷，{a}称损失约{amt}。",),
        claims=("要求{b}赔偿损失{amt}。",),
        sub_facts={
            "合伙/联营": ("{a}与{b}合伙经营{n}年，现因利润分配产生分歧，涉及金额约{amt}。",),
            "农资": ("{a}从{b}处购买的化肥、农药使用后庄稼减产，{a}认为农资质量有问题。",),
            "种植养殖": ("{a}承包{b}的果园种植火龙果，双方对投入和收益分成产生争议。",),
            "橡胶/茶叶/水果购销(本地常见,推断)": (
                "{a}称{d}将{n}吨干胶交由{b}收购，{b}至今拖欠货款{amt}。",
                "{a}与{b}约定收购其茶园鲜叶，{b}单方压价并拒收。",
            ),
        },
        sub_claims={
            "合伙/联营": ("请求核算合伙账目并依约分配。",),
            "种植养殖": ("请求调解明确投入与收益分成。",),
            "橡胶/茶叶/水果购销(本地常见,推断)": ("要求{b}支付货款{amt}。",),
        },
        org="coop",
        org_share=0.30,
        amount=(5_000, 300_000),
    ),
    "06": _Texts(
        issues={
            "人身损害": ("人身损害赔偿",),
            "财产损害": ("财产损害赔偿",),
            "动物致害": ("动物致害", "犬只伤人"),
            "校园伤害": ("校园伤害",),
        },
        facts=("{a}与{b}因{issue}问题协商不成，双方对赔偿数额分歧较大。",),
        claims=("要求{b}赔偿医疗费、误工费等共计{amt}。", "请求调解确定赔偿责任。"),
        sub_facts={
            "人身损害": (
                "{a}称{d}在{p}与{b}发生冲突被致伤，花去医疗费约{amt}，双方对赔偿数额分歧较大。",
            ),
            "财产损害": ("{a}反映{b}施工时损坏其房屋和围墙，损失约{amt}，协商未果。",),
            "动物致害": ("{a}称{d}被{b}家饲养的犬只咬伤，花去医疗费约{amt}。",),
            "校园伤害": ("{a}之子在{b}就读期间受伤，{a}认为学校未尽管理职责。",),
        },
        sub_claims={"财产损害": ("要求{b}修复或赔偿损失{amt}。",)},
        sub_org={"校园伤害": ("school", 0.9)},
        police_share=0.06,
        amount=(1_000, 120_000),
    ),
    "07": _Texts(
        issues={
            "土地所有权/使用权争议": ("土地使用权", "土地权属"),
            "林木林地权属": ("林木林地权属", "橡胶林地权属"),
            "界址/地界": ("地界", "山林界址"),
            "水利": ("灌溉用水", "水利设施"),
        },
        facts=("{a}与{b}因{v}{issue}问题发生争议，双方均持有不同时期的证明材料。",),
        claims=("请求确认争议地块的权属界线。",),
        sub_facts={
            "林木林地权属": ("{a}称{b}在争议林地上砍伐橡胶树{n}0余株，双方多次发生冲突。",),
            "界址/地界": ("{a}与{b}对{p}一带地界认识不一，已请村小组长现场指认未果。",),
            "水利": ("{a}与{b}因灌溉用水分配发生争执，{b}截断水沟导致{a}的稻田缺水。",),
        },
        sub_claims={
            "林木林地权属": ("要求{b}停止砍伐并赔偿损失{amt}。",),
            "水利": ("请求调解合理分配灌溉用水。",),
        },
        group_share=0.05,
        police_share=0.05,
        amount=(5_000, 200_000),
    ),
    "08": _Texts(
        issues={
            "承包合同": ("土地承包合同",),
            "土地流转": ("土地流转", "流转租金"),
            "承包地征收补偿分配": ("征收补偿款分配",),
        },
        facts=("{a}与{b}因{issue}问题发生争议，经{v}调委会调解未成功。",),
        claims=("请求依法调解。",),
        sub_facts={
            "承包合同": ("{a}与{b}就{v}{n}0亩承包地的承包期限和承包费发生争议。",),
            "土地流转": ("{a}于{d}将承包地{n}亩流转给{b}种植香蕉，{b}拖欠流转费{amt}。",),
            "承包地征收补偿分配": (
                "{a}反映{b}在分配承包地征收补偿款时未将其计入，涉及金额约{amt}。",
            ),
        },
        sub_claims={
            "承包合同": ("请求依法确认承包合同效力。",),
            "土地流转": ("要求{b}支付拖欠的流转费{amt}。", "要求解除流转合同、恢复原状。"),
            "承包地征收补偿分配": ("要求依法参与征收补偿款分配。",),
        },
        sub_org={"承包地征收补偿分配": ("village", 0.8), "土地流转": ("company", 0.3)},
        group_share=0.08,
        amount=(5_000, 150_000),
    ),
    "09": _Texts(
        issues={
            "征收补偿": ("征收补偿", "征地补偿标准"),
            "安置": ("安置房分配", "安置"),
            "拆除违建": ("拆除违建",),
        },
        facts=("{a}对{b}的{issue}工作有异议，已多次到{t}反映。",),
        claims=("请求依法复核并答复。",),
        sub_facts={
            "征收补偿": ("{a}对{p}一带项目征收的补偿标准有异议，认为评估价格偏低。",),
            "安置": ("{a}等人反映安置房分配迟迟未落实，已多次到{t}反映。",),
            "拆除违建": ("{a}对{b}拆除其{p}附属建筑的决定不服，认为属于合法建筑。",),
        },
        sub_claims={
            "征收补偿": ("要求重新评估补偿标准。",),
            "安置": ("要求尽快落实安置。",),
            "拆除违建": ("要求依法复核并给予补偿。",),
        },
        org="government",
        org_share=0.9,
        group_share=0.12,
        police_share=0.03,
        amount=(50_000, 800_000),
    ),
    "10": _Texts(
        issues={
            "噪声": ("噪声污染",),
            "水": ("水污染", "废水排放"),
            "大气": ("粉尘污染", "异味"),
            "固废/农药": ("农药飘移", "垃圾堆放"),
        },
        facts=(
            "{a}反映{b}在{p}附近造成{issue}，影响周边群众生产生活。",
            "{a}称{b}{d}以来造成{issue}，导致其鱼塘、庄稼受损约{amt}。",
        ),
        claims=("要求{b}停止污染并整改。", "要求赔偿损失{amt}。"),
        org="factory",
        org_share=0.65,
        group_share=0.06,
        amount=(2_000, 100_000),
    ),
    "11": _Texts(
        issues={
            "拖欠工资(农民工欠薪)": ("拖欠工资", "农民工工资"),
            "工伤": ("工伤赔偿",),
            "社保": ("社保缴纳",),
            "劳动合同解除": ("劳动合同解除", "经济补偿"),
        },
        facts=("{a}与{b}因{issue}问题发生劳动争议，协商未果。",),
        claims=("请求依法调解。",),
        sub_facts={
            "拖欠工资(农民工欠薪)": ("{a}等人在{b}务工，{d}起被拖欠工资共计{amt}，多次讨要未果。",),
            "工伤": ("{a}在{b}工作期间受伤，双方对工伤赔偿数额协商不成。",),
            "社保": ("{a}称{b}未依法为其缴纳社会保险。",),
            "劳动合同解除": ("{a}称{b}单方解除劳动合同，未支付经济补偿。",),
        },
        sub_claims={
            "拖欠工资(农民工欠薪)": ("要求{b}支付拖欠工资{amt}。",),
            "工伤": ("要求{b}依法支付工伤待遇{amt}。",),
            "社保": ("要求{b}补缴社会保险。",),
            "劳动合同解除": ("要求{b}依法支付经济补偿{amt}。",),
        },
        org="company",
        org_share=0.85,
        group_share=0.10,
        amount=(3_000, 180_000),
    ),
    "12": _Texts(
        issues={"医疗损害": ("医疗损害",), "医患冲突": ("医患冲突",)},
        facts=(
            "{a}称其家属{d}在{b}就诊后病情加重，认为医院存在过错。",
            "{a}与{b}医务人员在就诊过程中发生冲突，双方对责任认定分歧较大。",
        ),
        claims=("要求{b}赔偿{amt}。", "请求委托医疗损害鉴定后依法调解。"),
        org="hospital",
        org_share=0.90,
        police_share=0.04,
        amount=(10_000, 500_000),
    ),
    "13": _Texts(
        issues={
            "物业费": ("物业费",),
            "公共设施维修": ("公共设施维修", "电梯维修"),
            "业委会": ("业委会选举", "维修资金使用"),
            "停车": ("停车收费", "车位"),
        },
        facts=("{a}反映所在小区{b}服务不到位，双方就{issue}问题发生争议。",),
        claims=("要求{b}履行物业服务义务。", "请求调解{issue}问题。"),
        sub_facts={
            "物业费": ("{b}称{a}拖欠物业费{n}年，{a}以电梯长期故障为由拒交。",),
        },
        org="property",
        org_share=0.95,
        group_share=0.06,
        amount=(800, 20_000),
    ),
    "14": _Texts(
        issues={"交通事故损害赔偿": ("交通事故损害赔偿", "交通事故赔偿")},
        facts=(
            "{d}{a}驾驶电动车在{p}与{b}驾驶的车辆相撞，交警已出具事故认定书。",
            "{a}称{d}被{b}车辆撞伤，住院{n}天，双方对赔偿数额分歧较大。",
        ),
        claims=("要求{b}赔偿医疗费、误工费共计{amt}。", "请求依据事故认定书调解。"),
        org="transport",
        org_share=0.30,
        amount=(2_000, 250_000),
    ),
    "15": _Texts(
        issues={"商品质量": ("商品质量",), "服务": ("消费服务",), "预付卡": ("预付卡退费",)},
        facts=("{a}与{b}因{issue}问题发生消费纠纷，涉及金额{amt}。",),
        claims=("请求调解，依法维护消费者权益。",),
        sub_facts={
            "商品质量": ("{a}在{b}购买商品后发现质量问题，要求退换遭拒，涉及金额{amt}。",),
            "服务": ("{a}反映{b}提供的服务与约定不符，要求退费遭拒。",),
            "预付卡": ("{a}在{b}办理预付卡{amt}，现商家停业或拒绝退费。",),
        },
        sub_claims={
            "商品质量": ("要求{b}退货退款。",),
            "服务": ("要求{b}退还服务费用。",),
            "预付卡": ("要求退还预付卡余额{amt}。",),
        },
        org="shop",
        org_share=0.85,
        group_share=0.05,
        amount=(300, 30_000),
    ),
    "16": _Texts(
        issues={
            "导游/购物": ("强制购物", "导游服务"),
            "住宿": ("住宿服务",),
            "景区": ("景区门票",),
        },
        facts=("游客{a}与{b}因{issue}问题发生纠纷。",),
        claims=("要求{b}退还费用{amt}。", "要求{b}赔礼道歉并赔偿损失。"),
        sub_facts={
            "导游/购物": ("游客{a}反映参加{b}组织的旅游团期间被安排{issue}，要求退费。",),
            "住宿": ("{a}称入住{b}期间服务与宣传不符，协商退款{amt}未果。",),
            "景区": ("{a}反映{b}的门票收费与公示不符，要求退还差价。",),
        },
        org="travel",
        org_share=0.85,
        foreign_share=0.05,
        amount=(300, 20_000),
    ),
    "17": _Texts(
        issues={"商标": ("商标",), "著作权": ("著作权", "图片著作权"), "专利": ("专利",)},
        facts=("{a}反映{b}未经许可使用其{issue}，已造成经济损失约{amt}。",),
        claims=("要求{b}停止侵权并赔偿{amt}。",),
        org="online",
        org_share=0.70,
        amount=(3_000, 100_000),
    ),
    "18": _Texts(
        issues={"网购": ("网购",), "网络服务": ("网络服务",), "直播": ("直播带货",)},
        facts=(
            "{a}通过{issue}向{b}购买商品，收货后发现与描述不符，涉及金额{amt}。",
            "{a}称{b}在{issue}中承诺的售后服务未兑现。",
        ),
        claims=("要求{b}退款{amt}。", "请求调解售后问题。"),
        org="online",
        org_share=0.70,
        amount=(200, 20_000),
    ),
    "19": _Texts(
        issues={"借款": ("民间借贷", "借款"), "担保": ("借款担保",)},
        facts=("{a}与{b}因{issue}问题发生纠纷，涉及金额{amt}。",),
        claims=("请求依法调解。",),
        sub_facts={
            "借款": ("{a}于{d}借给{b}现金{amt}，约定{n}个月内归还，到期后{b}以各种理由拖延。",),
            "担保": ("{a}为{b}的借款提供担保，现债权人要求{a}承担还款责任。",),
        },
        sub_claims={
            "借款": ("要求{b}归还借款{amt}及利息。",),
            "担保": ("请求确认担保责任范围。", "要求{b}自行偿还借款，解除{a}的担保责任。"),
        },
        amount=(5_000, 300_000),
    ),
    "20": _Texts(
        issues={
            "集体经济分配": ("集体收益分配", "集体经济分配"),
            "村规民约": ("村规民约",),
            "选举": ("村组选举",),
        },
        facts=("{a}等村民就{issue}问题对{b}有意见，要求予以答复。",),
        claims=("请求依法调解。",),
        sub_facts={
            "集体经济分配": ("{a}等村民反映{b}在集体收益分配中不公开、不透明，要求公开账目。",),
            "村规民约": ("{a}称{b}依据村规民约取消其集体福利，{a}不服。",),
            "选举": ("{a}反映{v}村民小组长选举程序不规范。",),
        },
        sub_claims={
            "集体经济分配": ("要求公开账目并重新分配。",),
            "村规民约": ("要求恢复其村民待遇。",),
            "选举": ("请求依法审查选举程序。",),
        },
        org="village",
        org_share=0.80,
        group_share=0.15,
        amount=(2_000, 80_000),
    ),
    "21": _Texts(
        issues={"妇女权益": ("妇女权益", "外嫁女权益"), "未成年人保护": ("未成年人保护",)},
        facts=("{a}反映{issue}受到侵害，要求相关方承担责任。",),
        claims=("请求协调相关部门介入。",),
        sub_facts={
            "妇女权益": ("{a}反映其作为外嫁女未能享受{v}集体收益分配，合法权益受到侵害。",),
            "未成年人保护": ("{a}称其子女在{p}遭受{b}的不当对待，要求相关方承担责任。",),
        },
        sub_claims={
            "妇女权益": ("要求依法保障其集体收益分配权益。",),
            "未成年人保护": ("请求协调相关部门介入保护。",),
        },
        sub_org={"妇女权益": ("village", 0.6)},
        amount=(2_000, 50_000),
    ),
    "22": _Texts(
        issues={
            "跨境婚姻": ("跨境婚姻",),
            "境外务工": ("境外务工", "跨境务工工资"),
            "边贸": ("边贸货款", "边境贸易"),
        },
        facts=("{a}与{b}因{issue}问题产生纠纷，一方为境外人员，沟通需要翻译。",),
        claims=("请求协调涉外部门共同调解。",),
        sub_facts={
            "跨境婚姻": ("{a}与{b}系跨境婚姻，因婚姻登记和子女落户问题产生纠纷，沟通需要翻译。",),
            "境外务工": ("{a}反映其在{b}处务工期间工资被拖欠，涉及金额{amt}。",),
            "边贸": ("{a}称{d}与{b}约定收购其{n}吨香蕉，至今拖欠货款{amt}。",),
        },
        sub_claims={
            "境外务工": ("要求{b}支付工资{amt}。",),
            "边贸": ("要求{b}支付货款{amt}。",),
        },
        sub_org={"境外务工": ("company", 0.3), "边贸": ("company", 0.2)},
        foreign_share=0.70,
        amount=(3_000, 200_000),
    ),
    "23": _Texts(
        issues={"对行政行为不服": ("行政处罚", "责令整改"), "诉讼权利救济": ("涉法涉诉",)},
        facts=("{a}对{b}作出的{issue}决定不服，认为事实认定有误。",),
        claims=("要求依法复查处理。", "请求协调有关部门依法答复。"),
        sub_facts={"诉讼权利救济": ("{a}反映其与{b}的案件判决后长期未执行到位，要求协调。",)},
        sub_org={"对行政行为不服": ("government", 0.95)},
        amount=(1_000, 100_000),
    ),
    "99": _Texts(
        issues={},
        facts=("{a}与{b}因生活琐事发生纠纷，双方各执一词。", "{a}反映与{b}之间的矛盾，请求协调。"),
        claims=("请求协调处理。",),
        amount=(500, 20_000),
    ),
}

_TITLES_PERSON = (
    "{a}与{b}{issue}纠纷",
    "{a}反映{b}{issue}问题",
    "{v}{a}与{b}{issue}纠纷",
    "关于{a}与{b}{issue}纠纷的调解申请",
)
_TITLES_GROUP = (
    "{v}{a}等{k}人反映{b}{issue}问题",
    "{a}等{k}人与{b}{issue}纠纷",
    "{v}群众集体反映{issue}问题",
)
_OPENINGS = ("", "", "据反映，", "经初步了解，", "{d}，")
_CLOSINGS = (
    "",
    "双方多次协商未果。",
    "经{v}调委会调解未成功，现申请中心协调处理。",
    "{a}表示希望尽快解决。",
    "已由网格员初步核实情况。",
)
_RISK_CLOSINGS = ("双方情绪激动，存在矛盾激化风险。", "{a}扬言若得不到解决将采取过激行为。")
_CHANNEL_NOTES = {
    "walk_in": "{a}到中心窗口当面反映。",
    "phone": "{a}来电反映。",
    "qr_code": "{a}通过解纷码提交申请。",
    "grid_worker": "网格员{g}上报。",
    "transfer": "由{police}移交。",
    "upper_level": "上级综治中心交办。",
    "hotline_12345": "经12345热线转办。",
    "other": "",
}
_CHANNEL_WEIGHTS = {
    "walk_in": 45.0,
    "phone": 14.0,
    "qr_code": 10.0,
    "grid_worker": 12.0,
    "transfer": 7.0,
    "upper_level": 4.0,
    "hotline_12345": 7.0,
    "other": 1.0,
}
_KIND_WEIGHTS = {
    "01": 12.0, "02": 14.0, "03": 8.0, "04": 5.0, "05": 5.0, "06": 5.0, "07": 6.0, "08": 6.0,
    "09": 2.0, "10": 1.5, "11": 8.0, "12": 2.0, "13": 3.0, "14": 4.0, "15": 3.0, "16": 2.0,
    "17": 0.5, "18": 1.5, "19": 6.0, "20": 3.0, "21": 1.0, "22": 2.0, "23": 1.5, "99": 2.0,
}  # fmt: skip
_OCCUPATIONS_RURAL = ("农民", "农民", "胶农", "茶农", "果农", "务工人员", "个体工商户")
_OCCUPATIONS_URBAN = ("个体工商户", "务工人员", "公司职员", "退休人员", "驾驶员", "导游",
                      "自由职业", "无业", "教师", "厨师", "保安")  # fmt: skip


def _amount(rng: random.Random, low: int, high: int) -> str:
    value = int(rng.uniform(low, high) // 100 * 100) or 100
    if value >= 10_000:
        return f"{value / 10_000:.1f}".rstrip("0").rstrip(".") + "万元"
    return f"{value}元"


def _police_station(town_name: str) -> str:
    short = town_name
    for suffix in ("哈尼族乡", "基诺族乡", "街道", "农场", "镇", "乡"):
        if short.endswith(suffix):
            short = short[: -len(suffix)]
            break
    if "监狱" in short:
        short = "嘎洒"
    return f"景洪市公安局{short}派出所"


# --- demo images (PNG without Pillow) -----------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(width: int, height: int, rgb: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A truecolour PNG of `width` x `height` whose pixel (x, y) is `rgb(x, y)`."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type: none
        for x in range(width):
            raw.extend(rgb(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + _png_chunk(b"IEND", b"")
    )


def _demo_image(seed: int, index: int) -> bytes:
    """A 64x48 'site photo': a colour field with stripes, checks or a disc, from the seed."""
    rng = random.Random(f"demo-image:{seed}:{index}")
    base = tuple(rng.randrange(40, 220) for _ in range(3))
    accent = tuple(rng.randrange(0, 256) for _ in range(3))
    pattern = rng.randrange(4)
    step = rng.randint(4, 12)
    cx, cy, r2 = rng.randrange(64), rng.randrange(48), rng.randint(36, 400)

    def rgb(x: int, y: int) -> tuple[int, int, int]:
        on = (
            (x // step) % 2 == 0,
            (y // step) % 2 == 0,
            (x // step + y // step) % 2 == 0,
            (x - cx) ** 2 + (y - cy) ** 2 <= r2,
        )[pattern]
        c = accent if on else base
        return c[0], c[1], c[2]

    return make_png(64, 48, rgb)


def _store_file(folder: Path, content: bytes) -> str:
    """Write `content` to folder/sha[:2]/sha once (content-addressed); return its SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    target = folder / digest[:2] / digest
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f"{digest}.{os.getpid()}.part")
        part.write_bytes(content)
        os.replace(part, target)
    return digest


# --- the plan of one case -------------------------------------------------------------------


@dataclass(frozen=True)
class _Visitor:
    """An applicant who may come back: their earlier case, its type and respondent."""

    case_id: uuid.UUID
    applicant: PartyInput
    respondent: PartyInput


@dataclass
class _CasePlan:
    received_at: datetime
    status: str
    channel: str
    kind: str
    subtype: str
    division_code: str
    place_detail: str
    title: str
    facts: str
    claims: str
    parties: list[PartyInput]
    visitor_count: int = 1
    group_visit: bool = False
    group_matter: bool = False
    urgent: bool = False
    foreign_related: bool = False
    police_risk: bool = False
    police_reported_to: str = ""
    police_reported_at: datetime | None = None
    #: (sha256, file name, size) of each attached photo.
    attachments: list[tuple[str, str, int]] = field(default_factory=list)
    #: Made with the plan, so that a later plan can name it as the case it repeats.
    id: uuid.UUID = field(default_factory=new_id)
    repeat_visitor: bool = False
    repeat_of_id: uuid.UUID | None = None
    #: From whom, for the channels that need it (transfer, upper level, other).
    channel_note: str = ""
    #: The township (street) of the place, for texts of later steps.
    town_name: str = ""


def _spread(
    rng: random.Random, items: Sequence[str], weights: Sequence[float], n: int
) -> list[str]:
    """`n` picks by weight in which every item occurs at least once when n >= len(items)."""
    base = list(items) if n >= len(items) else rng.sample(list(items), n)
    out = base + rng.choices(list(items), weights=list(weights), k=n - len(base))
    rng.shuffle(out)
    return out


def _received_times(rng: random.Random, n: int) -> list[datetime]:
    """Reception times over the last SPAN_DAYS days before ANCHOR, oldest first.

    Weekdays are busier than weekends; walk-ins come in office hours.
    """
    first = (ANCHOR.astimezone(SHANGHAI) - timedelta(days=SPAN_DAYS)).date()
    days = [first + timedelta(days=i) for i in range(SPAN_DAYS)]
    weights = [0.3 if d.weekday() >= 5 else 1.0 for d in days]
    picked = rng.choices(days, weights=weights, k=n)
    times: list[datetime] = []
    for day in picked:
        minute = (
            rng.randrange(8 * 60, 12 * 60)
            if rng.random() < 0.55
            else rng.randrange(14 * 60 + 30, 18 * 60)
        )
        local = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + timedelta(
            minutes=minute, seconds=rng.randrange(60)
        )
        times.append(local.astimezone(UTC))
    times.sort()
    return times


class _Planner:
    """Draws every case from one random stream, so a seed gives the same data."""

    def __init__(self, seed: int, places: list[_Place], kinds: list[_Kind]) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.places = places
        self.kinds = {k.code: k for k in kinds}
        self.kind_codes = [k.code for k in kinds]
        self.by_code = {p.code: p for p in places}
        self.towns = {p.town_code: p for p in places if p.level == "town"}
        self.other_codes = list(_OTHER_ETHNICITIES)
        # Cumulative weights once: `choices(weights=...)` would sum them at every call.
        self.other_cum = list(accumulate(_OTHER_ETHNICITIES.values()))
        self.local_codes = [c for c, _ in _LOCAL_CODES]
        self.local_cum = list(accumulate(w for _, w in _LOCAL_CODES))
        self.han_codes = [c for c, _ in _HAN_CODES]
        self.han_cum = list(accumulate(w for _, w in _HAN_CODES))
        self.style_cum: dict[str, list[float]] = {}
        #: Recent applicants per place and dispute type ("": any type), who may come back.
        self.visitors: dict[tuple[str, str], list[_Visitor]] = {}

    def plan(self, n: int, statuses: list[str]) -> Iterator[_CasePlan]:
        rng = self.rng
        times = _received_times(rng, n)
        place_weights = [
            0.3 if p.level == "town" else (0.2 if p.kind == "special_area" else 1.0)
            for p in self.places
        ]
        place_codes = _spread(rng, [p.code for p in self.places], place_weights, n)
        kind_codes = _spread(
            rng, self.kind_codes, [_KIND_WEIGHTS.get(c, 1.0) for c in self.kind_codes], n
        )
        channels = _spread(rng, list(CHANNELS), [_CHANNEL_WEIGHTS.get(c, 1.0) for c in CHANNELS], n)
        chosen = _by_age(
            rng, _spread(rng, statuses, [STATUS_WEIGHTS.get(s, 1.0) for s in statuses], n)
        )
        for i in range(n):
            yield self._case(
                times[i], chosen[i], channels[i], self.kinds[kind_codes[i]],
                self.by_code[place_codes[i]],
            )  # fmt: skip

    # -- people

    def _style(self, place: _Place) -> str:
        cum = self.style_cum.get(place.town_code)
        if cum is None:
            mix = _TOWN_MIX.get(place.town_code[:9], _URBAN_MIX)
            cum = self.style_cum[place.town_code] = list(accumulate(mix))
        return self.rng.choices(_STYLES, cum_weights=cum)[0]

    def person(self, role: str, place: _Place, anchor: date) -> PartyInput:
        rng = self.rng
        style = self._style(place)
        male = rng.random() < 0.52
        name = _NAMERS[style](rng, male)
        ethnicity = (
            _STYLE_ETHNICITY[style]
            if style != "other"
            else rng.choices(self.other_codes, cum_weights=self.other_cum)[0]
        )
        age = int(rng.triangular(18, 86, 42))
        born = anchor - timedelta(days=age * 365 + rng.randrange(365))
        if style == "han":
            code = rng.choices(self.han_codes, cum_weights=self.han_cum)[0]
        else:
            code = rng.choices(self.local_codes, cum_weights=self.local_cum)[0]
        if code == "532801" and born.year < 1990 and rng.random() < 0.15:
            code = _RETIRED_JINGHONG
        has_id = role == "applicant" or rng.random() < 0.75
        phone = ""
        if role == "applicant" or rng.random() < 0.7:
            phone = _mobile(rng) if rng.random() < 0.9 else _landline(rng)
        if code in ("532801", _RETIRED_JINGHONG) or rng.random() < 0.6:
            address = _local_address(rng, place)
        else:
            home = _PLACE_OF_CODE.get(code, "云南省")
            address = f"{home}{rng.choice(_HOME_STREETS)}{rng.randint(1, 300)}号"
        rural = place.kind == "village_committee"
        interpreter = style in _STYLE_LANGUAGE and age >= 60 and rng.random() < 0.35
        return PartyInput(
            role=role,
            kind="person",
            name=name,
            gender="male" if male else "female",
            ethnicity=ethnicity,
            nationality="中国",
            id_type="resident_id" if has_id else "",
            id_number=_resident_id(rng, code, born, male) if has_id else "",
            birth_date=born if has_id else None,
            phone=phone,
            address=address,
            occupation=rng.choice(_OCCUPATIONS_RURAL if rural else _OCCUPATIONS_URBAN),
            needs_interpreter=interpreter,
            interpreter_language=_STYLE_LANGUAGE.get(style, "") if interpreter else "",
        )

    def foreigner(self, role: str, place: _Place, anchor: date) -> PartyInput:
        rng = self.rng
        male = rng.random() < 0.55
        lao = rng.random() < 0.5
        if lao:
            given = rng.choice(_LAO_MALE if male else _LAO_FEMALE)
            name = f"{given} {rng.choice(_LAO_FAMILY)}"
        else:
            pool = _MM_MALE if male else _MM_FEMALE
            words = [rng.choice(pool) for _ in range(rng.randint(2, 3))]
            if rng.random() < 0.3:
                words.insert(0, "SAI" if male else "NANG")
            name = " ".join(words)
        born = anchor - timedelta(days=int(rng.triangular(18, 65, 30)) * 365 + rng.randrange(365))
        if rng.random() < 0.5:
            id_type = "passport"
            number = (
                f"P{rng.randrange(10**7):07d}"
                if lao
                else f"M{rng.choice('ABCDE')}{rng.randrange(10**6):06d}"
            )
        else:
            id_type = "border_pass"
            number = f"{'LA' if lao else 'MM'}{rng.randrange(10**8):08d}"
        nationality = "老挝" if lao else "缅甸"
        interpreter = rng.random() < 0.7
        return PartyInput(
            role=role,
            kind="person",
            name=name,
            gender="male" if male else "female",
            nationality=nationality,
            id_type=id_type,
            id_number=validate_id(id_type, number, nationality),
            birth_date=born,
            # An applicant leaves a number (intake requires one); others now and then.
            phone=_mobile(rng) if role == "applicant" or rng.random() < 0.6 else "",
            address=f"暂住{_local_address(rng, place)}",
            occupation=rng.choice(("务工人员", "边民", "个体工商户", "商贩")),
            needs_interpreter=interpreter,
            interpreter_language=("老挝语" if lao else "缅甸语") if interpreter else "",
        )

    def organisation(self, role: str, kind: str, place: _Place) -> PartyInput:
        rng = self.rng
        template, prefix = rng.choice(_ORGS[kind])
        town = self.towns.get(place.town_code)
        gov_suffix = _GOV_SUFFIX.get(town.kind if town else "", "管理委员会")
        village = place.name if place.level == "village" else f"{place.town_name}人民调解委员会"
        name = template.format(
            b=rng.choice(_BRANDS),
            v=place.short,
            p=rng.choice(_PRODUCTS),
            village=village,
            town_gov=place.town_name + gov_suffix,
        )
        return PartyInput(
            role=role,
            kind="organisation",
            name=name,
            id_type="uscc",
            id_number=_uscc(rng, prefix),
            phone=_landline(rng) if rng.random() < 0.7 else _mobile(rng),
            address=_local_address(rng, place),
            legal_representative=_han_name(rng, rng.random() < 0.7),
            contact_person=_NAMERS[self._style(place)](rng, rng.random() < 0.5),
        )

    # -- one case

    def _case(
        self, received_at: datetime, status: str, channel: str, kind: _Kind, place: _Place
    ) -> _CasePlan:
        rng = self.rng
        texts = _T.get(kind.code, _T["99"])
        subtype = rng.choice(kind.subtypes) if kind.subtypes else ""
        issue = rng.choice(texts.issues.get(subtype, (kind.name.removesuffix("纠纷"),)))
        anchor = received_at.astimezone(SHANGHAI).date()
        group = rng.random() < texts.group_share
        foreign = rng.random() < texts.foreign_share

        parties: list[PartyInput] = []
        if group:
            listed = rng.randint(3, 8)
            reps = rng.randint(1, min(5, listed))
            for j in range(listed):
                p = self.person("applicant", place, anchor)
                parties.append(replace(p, is_representative=j < reps))
        else:
            parties.append(self.person("applicant", place, anchor))
            if rng.random() < 0.12:
                parties.append(self.person("applicant", place, anchor))
        org_kind, org_share = texts.sub_org.get(subtype, (texts.org, texts.org_share))
        if org_kind and rng.random() < org_share:
            respondent = self.organisation("respondent", org_kind, place)
        elif foreign and not group:
            respondent = self.foreigner("respondent", place, anchor)
        else:
            respondent = self.person("respondent", place, anchor)
        parties.append(respondent)
        if foreign and respondent.id_type not in ("passport", "border_pass"):
            # the foreign party is the applicant (a worker, a trader) or a third party
            if not group and rng.random() < 0.6:
                parties[0] = self.foreigner("applicant", place, anchor)
            else:
                parties.append(self.foreigner("third_party", place, anchor))
        elif rng.random() < 0.04:
            parties.append(self.person("third_party", place, anchor))
        earlier: _Visitor | None = None
        marked = False
        if not group and rng.random() < REPEAT_VISITOR_SHARE:
            same_matter = self.visitors.get((place.code, kind.code))
            anyone = self.visitors.get((place.code, ""))
            if same_matter and rng.random() < REPEAT_MARKED_SHARE:
                earlier, marked = rng.choice(same_matter), True
            elif anyone:
                earlier = rng.choice(anyone)
        if earlier is not None:
            again = replace(earlier.applicant, role="applicant", is_representative=False)
            if again.id_type == "resident_id" and rng.random() < REPEAT_WITHOUT_ID_SHARE:
                again = replace(again, id_type="", id_number="", birth_date=None)
            parties[0] = again
            if marked:
                # The same matter again: against the same respondent, marked 重复来访.
                at = parties.index(respondent)
                respondent = parties[at] = replace(earlier.respondent, role="respondent")

        urgent = rng.random() < 0.04
        police = rng.random() < texts.police_share or subtype == "家庭暴力(涉警)"
        visitors = 1
        if group:
            visitors = rng.randint(max(5, len(parties) - 1), 30)
        elif channel == "walk_in":
            visitors = sum(1 for p in parties if p.role == "applicant")

        a = parties[0].name
        b = respondent.name
        v = place.short if place.level == "village" else place.town_name
        before = anchor - timedelta(days=rng.randint(3, 150))
        detail = _place_detail(rng, place)
        station = _police_station(place.town_name)
        values: dict[str, object] = {
            "a": a,
            "b": b,
            "v": v,
            "t": place.town_name,
            "p": detail,
            "amt": _amount(rng, *texts.amount),
            "n": rng.randint(2, 9),
            "d": f"{before.year}年{before.month}月{before.day}日",
            "k": visitors,
            "issue": issue,
            "g": _han_name(rng, rng.random() < 0.5),
            "police": station,
        }
        titles = _TITLES_GROUP if group else _TITLES_PERSON
        title = rng.choice(titles).format(**values)[:100]
        facts = (
            rng.choice(_OPENINGS)
            + rng.choice(texts.sub_facts.get(subtype) or texts.facts)
            + rng.choice(_CLOSINGS)
            + (rng.choice(_RISK_CLOSINGS) if police else "")
            + _CHANNEL_NOTES.get(channel, "")
        ).format(**values)
        claim_pool = texts.sub_claims.get(subtype) or texts.claims
        picked = rng.sample(claim_pool, 2 if len(claim_pool) > 1 and rng.random() < 0.3 else 1)
        claims = "".join(picked).format(**values)

        group_visit = group and channel == "walk_in"
        if group and not group_visit:
            # A group matter reported by phone, a grid worker …: nobody came, so no
            # representatives were chosen at the window (intake refuses them otherwise).
            parties = [replace(p, is_representative=False) for p in parties]
        plan = _CasePlan(
            received_at=received_at,
            status=status,
            channel=channel,
            kind=kind.code,
            subtype=subtype,
            division_code=place.code,
            place_detail=detail,
            title=title,
            facts=facts,
            claims=claims,
            parties=parties,
            visitor_count=visitors,
            group_visit=group_visit,
            group_matter=group,
            urgent=urgent or (group and rng.random() < 0.3),
            foreign_related=any(p.id_type in ("passport", "border_pass") for p in parties),
            town_name=place.town_name,
        )
        plan.channel_note = {
            "transfer": station,
            "upper_level": "西双版纳州综治中心",
            "other": rng.choice(("人大代表转来", "媒体反映", "信访局转来")),
        }.get(channel, "")
        if earlier is not None:
            plan.repeat_visitor = True
            plan.repeat_of_id = earlier.case_id if marked else None
        if not group and parties[0].kind == "person":
            visitor = _Visitor(plan.id, parties[0], respondent)
            for key in ((place.code, ""), (place.code, kind.code)):
                remembered = self.visitors.setdefault(key, [])
                remembered.append(visitor)
                if len(remembered) > REPEAT_POOL:
                    del remembered[0]
        if police:
            plan.police_risk = True
            plan.police_reported_to = station
            plan.police_reported_at = received_at + timedelta(minutes=rng.randint(10, 180))
        if rng.random() < ATTACHMENT_SHARE:
            for k in range(1, rng.randint(1, 3) + 1):
                index = rng.randrange(IMAGE_POOL)
                plan.attachments.append((f"{self.seed}:{index}", f"现场照片{k}.png", 0))
        return plan


# --- writing -----------------------------------------------------------------------------


def _batches(
    plans: Iterator[_CasePlan], clerk: Actor, officer: Actor
) -> Iterator[tuple[Actor, list[_CasePlan]]]:
    """Consecutive cases of one actor, at most BATCH_SIZE at a time.

    The clerk registers on weekdays; the officer on duty registers at weekends.
    """
    batch: list[_CasePlan] = []
    current: Actor | None = None
    for plan in plans:
        actor = officer if plan.received_at.astimezone(SHANGHAI).weekday() >= 5 else clerk
        if batch and (actor is not current or len(batch) >= BATCH_SIZE):
            assert current is not None
            yield current, batch
            batch = []
        current = actor
        batch.append(plan)
    if batch:
        assert current is not None
        yield current, batch


class _Writer:
    def __init__(self, desk: Desk, seed: int, world: _World) -> None:
        info = desk.identity
        self.desk = desk
        self.seed = seed
        self.world = world
        #: The triage clock a registration starts (`cases.first_clock`): the rule once.
        self.triage_rule = deadlines.pick(world.rules, "triage")
        self.template = info.case_no_template
        self.center = info.short_name
        self.desk_code = info.desk_code
        self.files: dict[str, tuple[str, int]] = {}
        #: Take each case through the workflow to its status (`generate`'s `lifecycle`).
        self.lifecycle = True
        self.parties = self.organisations = self.foreigners = self.attachments = 0
        self.corrected = self.voided = self.enquiries = 0
        self.repeat_visitors = self.repeat_marked = 0
        self.supervisions = self.supervisions_answered = 0

    def _file(self, key: str) -> tuple[str, int]:
        """The stored demo image `key` ("seed:index"): (sha256, size), written once."""
        known = self.files.get(key)
        if known is None:
            seed, index = (int(x) for x in key.split(":"))
            content = _demo_image(seed, index)
            known = (_store_file(self.desk.dirs.attachments, content), len(content))
            self.files[key] = known
        return known

    def write(self, actor: Actor, batch: list[_CasePlan]) -> None:
        # Files first: a committed row must never point to a missing file.
        for plan in batch:
            for i, (key, name, _size) in enumerate(plan.attachments):
                sha, size = self._file(key)
                plan.attachments[i] = (sha, name, size)
        with self.desk.uow(actor) as uow:
            s = uow.session
            calendar = load_calendar(s)
            cases = [self._case(uow, actor, plan, calendar) for plan in batch]
            # The bulk path of the unit of work: the same stamps and create/append ops
            # as rows added one by one, written with one executemany per table.
            uow.bulk_insert(Case, cases)
            parties: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            attachments: list[dict[str, Any]] = []
            for case, plan in zip(cases, batch, strict=True):
                self._details(uow, case, plan, parties, events, attachments)
            uow.bulk_insert(Party, parties)
            uow.bulk_insert(CaseEvent, events)
            uow.bulk_insert(Attachment, attachments)
            self._amend(uow, cases, batch)
            self._enquiries(uow, batch)
            if self.lifecycle:
                self._lifecycle(uow, batch)

    def _lifecycle(self, uow: UnitOfWork, batch: list[_CasePlan]) -> None:
        """Each case's way to its status (`LIFECYCLE`): the real workflow actions on the
        ORM objects, in this unit of work, each at its own time and by its own actor."""
        rng = random.Random(f"lifecycle:{self.seed}:{batch[0].received_at.isoformat()}")
        # One query loads the batch's cases (not their parties, which no step reads): the
        # actions then find them in the session.
        loaded = {
            c.id: c
            for c in uow.session.scalars(
                select(Case)
                .where(Case.id.in_([p.id for p in batch]))
                .options(lazyload(Case.parties))
            )
        }
        # Supervision draws from a generator of its own (see `_Life.sv`).
        sv = random.Random(f"supervision:{self.seed}:{batch[0].received_at.isoformat()}")
        now, actor = uow.now, uow.actor
        try:
            for plan in batch:
                case = loaded[plan.id]
                if case.voided_at is not None:  # voided at registration: nothing follows
                    continue
                life = _Life(self.world, uow, case, plan, rng, sv)
                LIFECYCLE[plan.status](life)
                self.supervisions += life.rungs
                self.supervisions_answered += life.answered
        finally:
            uow.now, uow.actor = now, actor

    def _amend(self, uow: UnitOfWork, cases: list[dict[str, Any]], batch: list[_CasePlan]) -> None:
        """A few cases corrected after registration, a few voided: ORM changes in the same
        unit of work, so they become patch and void ops with history, as at the window."""
        rng = random.Random(f"amend:{self.seed}:{batch[0].received_at.isoformat()}")
        draws = [rng.random() for _ in batch]
        picked = [
            case["id"] for case, d in zip(cases, draws, strict=True)
            if d < CORRECTED_SHARE + VOIDED_SHARE
        ]  # fmt: skip
        if not picked:
            return
        loaded = {c.id: c for c in uow.session.scalars(select(Case).where(Case.id.in_(picked)))}
        for case, plan, draw in zip(cases, batch, draws, strict=True):
            if draw >= CORRECTED_SHARE + VOIDED_SHARE:
                continue
            row = loaded[case["id"]]
            hours = timedelta(hours=rng.randrange(1, 48))
            at = plan.received_at + min(hours, (ANCHOR - plan.received_at) / 2)
            if draw < VOIDED_SHARE:
                reason = rng.choice(_VOID_REASONS)
                row.voided_at = at
                row.void_reason = reason
                self._history(uow, case["id"], "voided", at, f"作废：{reason}", {"reason": reason})
                self.voided += 1
                continue
            reason, field_name, new_value = self._correction(rng, row)
            before = getattr(row, field_name)
            setattr(row, field_name, new_value)
            changes = {field_name: [before, new_value]}
            self._history(
                uow,
                case["id"],
                "corrected",
                at,
                f"更正：{describe_change(field_name)}",
                {"reason": reason, "changes": changes},
            )
            self.corrected += 1

    @staticmethod
    def _correction(rng: random.Random, row: Case) -> tuple[str, str, str]:
        if rng.random() < 0.5 or not row.place_detail:
            return (
                "申请人补充说明了地点",
                "place_detail",
                (row.place_detail + "附近").strip()[:200],
            )
        return ("标题表述不准确", "title", ("（更正）" + row.title)[:100])

    @staticmethod
    def _history(
        uow: UnitOfWork, case_id: Any, kind: str, at: datetime, summary: str, data: dict[str, Any]
    ) -> None:
        event = uow.event(case_id, kind, summary, data)
        event.at = at

    def _enquiries(self, uow: UnitOfWork, batch: list[_CasePlan]) -> None:
        """Advice-only visits on the same days as the batch's cases (about one in four)."""
        rng = random.Random(f"enquiries:{self.seed}:{batch[0].received_at.isoformat()}")
        rows: list[dict[str, Any]] = []
        for plan in batch:
            if rng.random() >= ENQUIRY_SHARE:
                continue
            topic = rng.choices(list(_ENQUIRY_TOPICS), weights=[6, 3, 1])[0]
            question, answer, referred = rng.choice(_ENQUIRY_TOPICS[topic])
            visitor = plan.parties[0]
            rows.append(
                {
                    "received_at": plan.received_at + timedelta(minutes=rng.randrange(5, 240)),
                    "visitor_name": visitor.name if visitor.kind == "person" else "来访群众",
                    "visitor_phone": visitor.phone,
                    "topic": topic,
                    "question": question,
                    "answer": answer,
                    "dispute_type_code": plan.kind if topic == "legal" else "",
                    "division_code": plan.division_code,
                    "answered_by": uow.actor.username,
                    "referred_to": referred,
                }
            )
        uow.bulk_insert(Enquiry, rows)
        self.enquiries += len(rows)

    def _case(
        self, uow: UnitOfWork, actor: Actor, plan: _CasePlan, calendar: WorkCalendar
    ) -> dict[str, Any]:
        case_no = numbering.allocate(
            uow.session,
            "case",
            template=self.template,
            center=self.center,
            desk=self.desk_code,
            at=plan.received_at,
        )
        self.repeat_visitors += plan.repeat_visitor
        self.repeat_marked += plan.repeat_of_id is not None
        clock: dict[str, Any] = {}
        rule = self.triage_rule
        if rule is not None:  # as `cases.first_clock`, with the rule and calendar loaded once
            due = deadlines.compute_due(calendar, plan.received_at, rule.days, rule.working_days)
            clock = {
                "step": "triage", "step_started_at": plan.received_at, "due_at": due.due_at,
                "warn_at": due.warn_at, "due_days": due.days, "due_working_days": due.working,
            }  # fmt: skip
        return {
            "id": plan.id,
            "case_no": case_no,
            "verify_code": new_verify_code(),
            "status": "pending_triage",
            "channel": plan.channel,
            "channel_note": plan.channel_note,
            "received_at": plan.received_at,
            "clerk_id": actor.user_id,
            "registered_by": actor.username,
            "visitor_count": plan.visitor_count,
            "group_visit": plan.group_visit,
            "dispute_type_code": plan.kind,
            "dispute_subtype": plan.subtype,
            "division_code": plan.division_code,
            "place_detail": plan.place_detail,
            "title": plan.title,
            "facts": plan.facts,
            "claims": plan.claims,
            "police_risk": plan.police_risk,
            "police_reported_to": plan.police_reported_to,
            "police_reported_at": plan.police_reported_at,
            "group_matter": plan.group_matter,
            "foreign_related": plan.foreign_related,
            "urgent": plan.urgent,
            "repeat_of_id": plan.repeat_of_id,
            **clock,
        }

    def _details(
        self,
        uow: UnitOfWork,
        case: dict[str, Any],
        plan: _CasePlan,
        parties: list[dict[str, Any]],
        events: list[dict[str, Any]],
        attachments: list[dict[str, Any]],
    ) -> None:
        """The case's parties, its registered event and its attachments, as rows."""
        case_id = case["id"]
        for order, p in enumerate(plan.parties):
            parties.append(
                {"id": new_id(), "case_id": case_id, "sort_order": order, **party_values(p)}
            )
            self.parties += 1
            self.organisations += p.kind == "organisation"
            self.foreigners += p.id_type in ("passport", "border_pass")
        events.append(
            {
                "id": new_id(),
                "case_id": case_id,
                "kind": "registered",
                # Registered a few minutes after the visitor arrived, as at the window.
                "at": plan.received_at + timedelta(minutes=5 + len(plan.parties)),
                "actor": uow.actor.username,
                "summary": f"登记受理 {case['case_no']}",
                "data": {"channel": plan.channel},
            }
        )
        for sha, name, size in plan.attachments:
            attachments.append(
                {
                    "id": new_id(),
                    "case_id": case_id,
                    "sha256": sha,
                    "filename": name,
                    "mime_type": "image/png",
                    "size": size,
                    "category": "photo",
                }
            )
            self.attachments += 1


def generate(
    desk: Desk,
    cases: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    *,
    lifecycle: bool = True,
) -> DemoSummary:
    """Fill an initialised desk with `cases` synthetic matters drawn from `seed`.

    Without `lifecycle` every case stays 待研判 (registration only: about 40 times
    faster, for large data sets such as the bench's lookups and sync figures; the
    workflow steps cost a few milliseconds each through the real services).

    Every case is written through a unit of work acting as a demo clerk
    (clerk1 on weekdays, officer1 at weekends, when those accounts exist), so it
    gets this desk's case number, a ``registered`` history event and outbox ops;
    then the workflow takes it to its status (see the module's description).
    `progress(done, total)` is called after each committed batch. Each batch is
    its own transaction: if a later one fails, the batches before it stay (each
    is a complete set of cases with their numbers, history and ops).

    Raises:
        NotInitialised: the data folder has no desk yet (see `ensure_demo_desk`).
    """
    if cases < 0:
        raise ValueError("cases must not be negative")
    started = time.perf_counter()
    desk.identity  # noqa: B018 - refuses an uninitialised desk before any work
    places = _load_places(desk)
    kinds = _load_kinds(desk)
    clerk, officer = _load_actors(desk)
    statuses = demo_statuses() if lifecycle else ["pending_triage"]
    if not statuses:
        raise RuntimeError("demo.LIFECYCLE knows none of the case statuses")
    planner = _Planner(seed, places, kinds)
    writer = _Writer(desk, seed, _load_world(desk))
    writer.lifecycle = lifecycle
    done = 0
    for actor, batch in _batches(planner.plan(cases, statuses), clerk, officer):
        writer.write(actor, batch)
        done += len(batch)
        if progress is not None:
            progress(done, cases)
    return DemoSummary(
        cases=done,
        parties=writer.parties,
        organisations=writer.organisations,
        foreigners=writer.foreigners,
        attachments=writer.attachments,
        corrected=writer.corrected,
        voided=writer.voided,
        enquiries=writer.enquiries,
        seconds=time.perf_counter() - started,
        repeat_visitors=writer.repeat_visitors,
        repeat_marked=writer.repeat_marked,
        supervisions=writer.supervisions,
        supervisions_answered=writer.supervisions_answered,
    )


__all__ = [
    "ANCHOR",
    "DEMO_ACCOUNTS",
    "DEMO_ADMIN",
    "DEMO_CENTER",
    "DEMO_DESK_CODE",
    "DEMO_REVISION",
    "DEMO_SHORT_NAME",
    "LIFECYCLE",
    "STATUS_WEIGHTS",
    "DemoAccount",
    "DemoSummary",
    "demo_statuses",
    "ensure_demo_desk",
    "generate",
    "make_png",
]
