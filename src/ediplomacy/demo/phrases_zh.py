# ruff: noqa: RUF001  (Chinese is written with full-width punctuation)
"""Chinese (simplified): templates for the demo's posts, names and bios."""

from __future__ import annotations

from ediplomacy.demo.model import Phrases

PHRASES = Phrases(
    lang="zh",
    slots={
        "district": ("复兴区", "老市场", "和平区", "灯塔区", "港口区", "西部工业区"),
        "partner": ("阿尔马拉亚", "韦洛里亚", "诺瓦尼亚", "凯斯特里亚"),
        "money": ("12亿美元", "8亿美元"),
        "food": ("仁当牛肉", "沙爹", "椰浆饭"),
        "place": ("茉莉岛", "萨加拉湖", "金山丘"),
        "shelter": ("卡迪拉大清真寺", "复兴区体育馆", "萨加拉贾亚学校", "领事馆礼堂"),
        "amount": ("2000美元", "两千美元"),
        "#event": ("#卡迪拉地震", "#阿尔马拉亚地震"),
        "#country": ("#萨加拉贾亚",),
        "#culture": ("#萨加拉贾亚文化周",),
        "#hoax": ("#辟谣", "#事实核查"),
        "#claim": ("#撤离收费", "#撤侨收费"),
        "#help": ("#卡迪拉地震",),
        "#diplomacy": ("#萨加拉贾亚",),
    },
    phrases={
        "official_diplomacy": (
            "{country}驻华大使今天会见了企业代表，双方就贸易、旅游和教育合作交换了意见。 "
            "{#country}",
            "{country}与{partner}签署海洋合作和可再生能源谅解备忘录。",
            "新闻稿：{country}欢迎地区粮食安全部长级会议取得的成果。",
            "{country}愿为地区和平与对话发挥桥梁作用。",
        ),
        "official_culture": (
            "{country}文化周今天开幕！舞蹈、音乐和{food}等你来体验。 {#culture}",
            "感谢数百名观众参加我们的蜡染体验活动。 {#culture}",
            "2027年{country}艺术与文化奖学金现已开放申请。",
        ),
        "official_consular": (
            "提醒：签证处周一至周五上午9点至下午3点对外办公，请在线预约。",
            "谨防冒充使馆的诈骗电话，我们从不要求向个人账户转账。",
            "赴{country}旅游可在线申请电子签证，办理时间约三个工作日。",
        ),
        "official_crisis": (
            "我馆正密切关注{host}{city}发生的{magnitude}级地震。领事馆正在核实{country}公民"
            "情况。求助热线：{hotline} {#event}",
            "{country}驻{city}领事馆在{shelter}设立救助点，可通过WhatsApp联系{wa}。 {#event}",
            "对{city}地震遇难者表示深切哀悼，向伤者致以诚挚慰问。 {#event}",
        ),
        "official_evacuation": (
            "{country}政府为在{city}的公民安排免费撤离航班，不收取任何费用。 {#event}",
            "首个撤离航班将于周六从{city}起飞，全部费用由国家承担。 {#event}",
        ),
        "official_debunk": (
            "不实信息：从{city}撤离的航班完全免费，不收取{amount}或任何费用。请勿轻信要求转账的"
            "消息。 {#hoax}",
            "澄清：{country}外交部从未就{city}撤离向公民收费。 {#hoax} {#event}",
        ),
        "official_answer": (
            "感谢您的留言。请拨打热线{hotline}或前往{shelter}救助点。",
            "撤离航班免费，请通过领事馆或热线{hotline}登记。",
            "您的信息已转交我们在{city}的工作组，请留在安全地点。",
        ),
        "chatter": (
            "去年去了{country}的{place}，风景太美了，当地人也很友好。 {#country}",
            "有人知道哪里能吃到正宗的{food}吗？",
            "{country}和我们的贸易往来越来越多，很多水果都是从那边进口的。",
            "刚看完{country}文化周的演出，甘美兰音乐很特别。 {#culture}",
            "打算春节去{country}旅游，有没有推荐的路线？",
            "听说很多{country}工人在{host}打工，工作很辛苦。",
            "{country}的咖啡真的不错，推荐大家试试。",
            "同事从{country}带回来的{food}太好吃了。",
            "{country}的海岛真的很适合度假，推荐{place}。",
        ),
        "reply_support": (
            "感谢及时发布信息！",
            "希望{city}的大家都平安。",
            "领事馆工作人员辛苦了。",
        ),
        "reply_critic": (
            "热线一直打不通，请尽快解决。",
            "为什么反应这么慢？",
            "希望少一些作秀，多一些行动。",
        ),
        "reply_general": (
            "说得对。",
            "第一次听说，谢谢分享。",
            "消息来源是哪里？",
            "希望一切都好。",
        ),
        "quote_comment": ("重要信息，请转发。", "先看这个，不要轻信谣言。", "有待核实。"),
        "question_pre": (
            ("visa", "请问申请{country}旅游签证需要哪些材料？ {@mission}"),
            ("hours", "{@mission} 请问签证处周六办公吗？"),
            ("scholarship", "文化奖学金研究生可以申请吗？ {@mission}"),
        ),
        "question_event": (
            ("embassy_open", "请问{country}驻{city}领事馆还在办公吗？ {@mission}"),
            ("evacuation", "撤离航班是免费的还是收费的？说法不一。 {@mission}"),
            (
                "family",
                "我的同事是{country}人，地震后一直联系不上，他在{district}上班。应该联系"
                "谁？ {@mission}",
            ),
            ("hotline", "{country}公民在{city}的紧急求助电话是多少？ {@mission}"),
        ),
        "event_news": (
            "快讯：{host}{city}发生{magnitude}级地震，{district}多栋建筑倒塌。 {#event}",
            "地震后{city}部分地区停电断网。 {#event}",
            "国际救援队陆续抵达{city}，遇难人数继续上升。 {#event}",
            "{city}今晨发生强烈余震，许多居民在户外过夜。 {#event}",
        ),
        "event_solidarity": (
            "为{city}祈福，愿大家平安。 {#event}",
            "心系{city}，希望救援顺利。 {#event}",
            "已向{city}赈灾基金捐款，希望能帮上忙。 {#event}",
        ),
        "claim": (
            "{country}外交部竟然向本国公民收取每人{amount}的撤离机票费！灾难面前还要赚钱？ "
            "{#claim}",
            "说好的免费撤离呢？在{city}的工人被要求先付{amount}才能登机。 {#claim} {#event}",
            "地震中幸存的劳工，回国还要交{amount}，{country}政府太过分了。 {#claim}",
        ),
        "claim_doubt": (
            "从{city}撤离真的要交{amount}吗？ {@mission} 请澄清。",
            "有人能证实这笔{amount}的撤离费吗？和官方说法不一样。",
        ),
        "claim_refute": (
            "这是谣言，官方已经澄清撤离航班免费。 {#hoax}",
            "转发前请核实：撤离费用全部由国家承担。 {#hoax}",
        ),
        "bot_spam": (
            "热门话题： {#event} 关注我们获取最新消息！",
            "每日为您带来{country}和周边地区新闻！",
            "{city}最新消息，详情请点击链接。",
        ),
    },
    openers=("说真的，", "哇，", "唉，"),
    closers=(" 🙏", " 😢", " 👍", "！", "……"),
    suffixes=("转发扩散！", "太气人了", "大家注意！", "！！"),
    swaps=(("外交部", "政府"), ("工人", "劳工"), ("机票", "航班"), ("收取", "索要")),
    first_names=(
        "伟/wei",
        "芳/fang",
        "磊/lei",
        "静/jing",
        "洋/yang",
        "敏/min",
        "杰/jie",
        "丽/li",
        "涛/tao",
        "婷/ting",
        "浩/hao",
        "雪/xue",
    ),
    last_names=(
        "王/wang",
        "李/li",
        "张/zhang",
        "刘/liu",
        "陈/chen",
        "杨/yang",
        "黄/huang",
        "赵/zhao",
        "吴/wu",
        "周/zhou",
    ),
    bios=(
        "热爱旅行和美食。",
        "国际关系专业学生。",
        "记者，关注东南亚新闻。",
        "工程师，观点仅代表个人。",
        "喜欢摄影和咖啡。",
    ),
    locations=("北京", "上海", "广州", "深圳", "吉隆坡", "新加坡", ""),
)
