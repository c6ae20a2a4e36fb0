# ruff: noqa: E501  (vocabulary tables read best one value per line)
"""Domain vocabulary for slot extraction: surface words (Chinese and English) → canonical values.

Canonical values match the catalog's `category` column and the profile store, so a slot can be used
as a filter as it is. Chinese words are also loaded into the slot extractor's own jieba dictionary so
that the segmenter keeps them whole ("百万医疗险", "定期寿险", "不想亏钱").
"""

from __future__ import annotations

# slot name → canonical value → surface forms (Chinese and English, English lower-case).
LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "insurance_type": {
        "critical_illness": (
            "重疾", "重疾险", "重大疾病", "重大疾病险", "重大疾病保险", "大病险", "大病保险", "防癌险", "癌症险",
            "critical illness", "critical-illness", "ci insurance", "cancer insurance", "serious illness cover",
        ),
        "medical": (
            "医疗", "医疗险", "医疗保险", "百万医疗", "百万医疗险", "住院险", "住院保险", "高端医疗", "惠民保", "健康险",
            "medical", "medical insurance", "health insurance", "hospital insurance", "hospitalization",
            "hospitalisation", "medical cover",
        ),
        "term_life": ("定期寿险", "定寿", "定期人寿", "term life", "term life insurance", "term insurance", "term policy"),
        "whole_life": ("终身寿险", "终身寿", "增额终身寿", "增额寿", "whole life", "whole life insurance", "whole-life"),
        # Generic life insurance: both kinds (see LIFE_GENERIC).
        "life": ("寿险", "人寿保险", "人寿险", "life insurance", "life cover", "life policy"),
        "accident": (
            "意外", "意外险", "意外保险", "意外伤害", "意外伤害险", "综合意外险",
            "accident", "accident insurance", "accidental", "personal accident", "accident cover",
        ),
        "annuity": ("年金", "年金险", "养老年金", "养老保险", "商业养老", "annuity", "annuities", "pension insurance"),
        "children": (
            "少儿", "少儿险", "少儿保险", "儿童保险", "儿童险", "学平险", "孩子保险", "宝宝保险",
            "children's insurance", "childrens insurance", "children insurance", "child insurance",
            "kids insurance", "kid insurance", "insurance for my kids", "insurance for my child",
            "insurance for my children",
        ),
        "car_insurance": (
            "车险", "汽车保险", "车辆保险", "交强险", "车损险", "三者险", "商业车险",
            "car insurance", "auto insurance", "vehicle insurance", "motor insurance", "car cover",
        ),
    },
    "finance_type": {
        "index_fund": ("指数基金", "指基", "定投", "etf", "index fund", "index funds", "tracker fund"),
        "fund": (
            "基金", "公募基金", "货币基金", "混合基金", "股票基金", "fund", "funds", "mutual fund", "mutual funds",
            "money market fund",
        ),
        "deposit": (
            "存款", "定期存款", "定存", "大额存单", "存单", "储蓄", "deposit", "deposits", "fixed deposit",
            "time deposit", "certificate of deposit", "savings account",
        ),
        "bond": ("债券", "国债", "债基", "债券基金", "bond", "bonds", "treasury", "treasuries", "bond fund", "government bond"),
        "auto_loan": (
            "车贷", "汽车贷款", "购车贷款", "汽车金融", "贷款买车", "分期买车", "车辆贷款",
            "auto loan", "car loan", "car finance", "vehicle loan", "auto financing", "car financing",
        ),
        "lease": ("租赁", "融资租赁", "以租代购", "汽车租赁", "租车", "lease", "leasing", "car lease", "lease a car"),
    },
    "product_type": {
        "insurance": ("保险", "保单", "投保", "保障", "insurance", "insure", "insured", "coverage"),
        "finance": ("理财", "投资产品", "理财产品", "贷款", "finance", "financial product", "wealth management", "loan"),
        "course": ("课程", "课", "网课", "教程", "培训", "学习", "course", "courses", "class", "classes", "lesson", "lessons", "tutorial", "training"),
    },
    "topic": {
        "investing": ("投资", "理财课", "投资理财", "investing", "investment", "invest"),
        "stocks": ("股票", "炒股", "a股", "美股", "stocks", "stock market", "shares"),
        "funds": ("基金投资", "fund investing"),
        "excel": ("excel", "表格", "电子表格", "spreadsheet", "spreadsheets"),
        "python": ("python",),
        "programming": ("编程", "写代码", "程序设计", "programming", "coding", "java", "javascript"),
        "data_science": ("数据分析", "数据科学", "data analysis", "data science", "data analytics"),
        "machine_learning": ("机器学习", "深度学习", "machine learning", "deep learning"),
        "ai": ("人工智能", "ai", "chatgpt", "大模型", "artificial intelligence"),
        "english": ("英语", "英文", "口语", "english", "spoken english"),
        "business_english": ("商务英语", "business english"),
        "ielts": ("雅思", "ielts"),
        "japanese": ("日语", "日文", "japanese"),
        "korean": ("韩语", "korean"),
        "parenting": ("育儿", "亲子", "带娃", "家庭教育", "parenting", "raising kids"),
        "photography": ("摄影", "拍照", "photography", "photo", "photos"),
        "fitness": ("健身", "减肥", "瑜伽", "fitness", "workout", "yoga"),
        "cooking": ("烹饪", "做饭", "厨艺", "cooking", "recipes"),
        "music": ("音乐", "吉他", "钢琴", "music", "guitar", "piano"),
        "writing": ("写作", "writing", "copywriting"),
        "public_speaking": ("演讲", "public speaking", "presentation skills"),
        "management": ("管理", "领导力", "management", "leadership"),
        "product_management": ("产品经理课", "product management"),
        "project_management": ("项目管理", "project management", "pmp"),
        "tax": ("个税", "税务", "报税", "tax", "taxes"),
        "retirement": ("养老规划", "退休规划", "retirement planning", "retirement"),
        "budgeting": ("记账", "预算管理", "budgeting", "personal budget"),
        "insurance_literacy": ("保险知识", "保险入门", "insurance basics", "insurance 101"),
        "web_dev": ("前端", "网页开发", "web development", "frontend", "front-end"),
        "cybersecurity": ("网络安全", "cybersecurity", "security"),
        "career": ("职场", "求职", "面试", "career", "job interview", "interview"),
        "mental_health": ("心理健康", "情绪管理", "mental health", "stress management"),
        "nutrition": ("营养", "nutrition", "diet"),
        "history": ("历史", "history"),
        "negotiation": ("谈判", "negotiation"),
        "sales": ("销售技巧", "sales skills"),
        "accounting": ("会计", "财务", "accounting", "bookkeeping"),
    },
    "occupation": {
        "teacher": ("老师", "教师", "teacher", "lecturer", "professor"),
        "doctor": ("医生", "大夫", "doctor", "physician", "surgeon"),
        "nurse": ("护士", "nurse"),
        "programmer": (
            "程序员", "码农", "软件工程师", "开发工程师", "前端工程师", "后端工程师",
            "programmer", "software engineer", "software developer", "developer",
        ),
        "engineer": ("工程师", "engineer"),
        "civil_servant": ("公务员", "事业单位", "civil servant", "government employee"),
        "accountant": ("会计", "会计师", "财务", "accountant"),
        "lawyer": ("律师", "lawyer", "attorney"),
        "driver": ("司机", "网约车司机", "出租车司机", "货车司机", "driver", "taxi driver", "truck driver"),
        "delivery_rider": ("外卖员", "骑手", "快递员", "外卖小哥", "courier", "delivery rider", "delivery driver"),
        "sales": ("销售", "业务员", "salesperson", "salesman", "saleswoman", "sales rep"),
        "designer": ("设计师", "designer"),
        "student": ("学生", "大学生", "研究生", "student", "college student", "graduate student"),
        "freelancer": ("自由职业", "自由职业者", "freelancer", "freelance"),
        "business_owner": ("个体户", "老板", "创业", "开店", "business owner", "entrepreneur", "self-employed"),
        "retired": ("退休", "退休了", "retired", "retiree"),
        "homemaker": ("全职妈妈", "全职太太", "家庭主妇", "全职爸爸", "homemaker", "housewife", "stay-at-home mom", "stay-at-home dad"),
        "police": ("警察", "民警", "police officer", "policeman", "policewoman"),
        "soldier": ("军人", "soldier"),
        "factory_worker": ("工人", "工厂", "普工", "factory worker", "worker"),
        "construction_worker": ("建筑工人", "工地", "construction worker"),
        "farmer": ("农民", "务农", "farmer"),
        "manager": ("经理", "主管", "管理层", "manager"),
        "product_manager": ("产品经理", "product manager"),
        "chef": ("厨师", "chef", "cook"),
        "bank_employee": ("银行职员", "柜员", "银行工作", "bank clerk", "banker"),
        "office_worker": ("白领", "上班族", "职员", "office worker", "white-collar", "employee"),
    },
    "city": {
        "beijing": ("北京", "beijing", "peking"),
        "shanghai": ("上海", "shanghai"),
        "guangzhou": ("广州", "guangzhou", "canton"),
        "shenzhen": ("深圳", "shenzhen"),
        "hangzhou": ("杭州", "hangzhou"),
        "chengdu": ("成都", "chengdu"),
        "chongqing": ("重庆", "chongqing"),
        "wuhan": ("武汉", "wuhan"),
        "xian": ("西安", "xi'an", "xian", "xi an"),
        "nanjing": ("南京", "nanjing"),
        "tianjin": ("天津", "tianjin"),
        "suzhou": ("苏州", "suzhou"),
        "changsha": ("长沙", "changsha"),
        "zhengzhou": ("郑州", "zhengzhou"),
        "dongguan": ("东莞", "dongguan"),
        "qingdao": ("青岛", "qingdao"),
        "shenyang": ("沈阳", "shenyang"),
        "ningbo": ("宁波", "ningbo"),
        "kunming": ("昆明", "kunming"),
        "hefei": ("合肥", "hefei"),
        "foshan": ("佛山", "foshan"),
        "xiamen": ("厦门", "xiamen"),
        "fuzhou": ("福州", "fuzhou"),
        "jinan": ("济南", "jinan"),
        "dalian": ("大连", "dalian"),
        "harbin": ("哈尔滨", "harbin"),
        "changchun": ("长春", "changchun"),
        "shijiazhuang": ("石家庄", "shijiazhuang"),
        "nanning": ("南宁", "nanning"),
        "guiyang": ("贵阳", "guiyang"),
        "nanchang": ("南昌", "nanchang"),
        "taiyuan": ("太原", "taiyuan"),
        "lanzhou": ("兰州", "lanzhou"),
        "urumqi": ("乌鲁木齐", "urumqi"),
        "haikou": ("海口", "haikou"),
        "sanya": ("三亚", "sanya"),
        "wuxi": ("无锡", "wuxi"),
        "zhuhai": ("珠海", "zhuhai"),
        "hong_kong": ("香港", "hong kong", "hongkong"),
        "macau": ("澳门", "macau", "macao"),
    },
    "risk_hint": {
        "conservative": (
            "保守", "保守型", "稳妥", "保本", "不想亏钱", "不能亏", "不能亏钱", "怕亏", "怕亏钱", "低风险", "风险小", "不想冒险",
            "conservative", "risk averse", "risk-averse", "low risk", "low-risk", "can't afford to lose",
            "cannot afford to lose", "don't want to lose money", "do not want to lose money", "play it safe",
            "capital protection", "capital guaranteed",
        ),
        "moderate": (
            "稳健", "稳健型", "平衡", "平衡型", "中等风险", "适中", "中风险",
            "moderate", "balanced", "medium risk", "medium-risk", "middle of the road",
        ),
        "aggressive": (
            "激进", "激进型", "进取", "进取型", "高风险", "高风险高收益", "能承受风险", "可以承担风险", "能接受亏损", "愿意冒险",
            "aggressive", "high risk", "high-risk", "can take risks", "can take risk", "can take some risk",
            "risk tolerant", "risk-tolerant", "happy to take risks", "willing to take risks", "growth-oriented",
        ),
    },
    "channel": {
        "app": ("app", "客户端", "应用内", "push", "推送", "mobile app"),
        "wechat": ("微信", "公众号", "小程序", "企业微信", "朋友圈", "wechat", "weixin", "we chat", "mini program"),
        "sms": ("短信", "sms", "text message", "text messages", "texts"),
        "phone": ("电话", "电销", "外呼", "phone", "phone call", "phone calls", "call", "calls", "telemarketing", "telesales"),
        "email": ("邮件", "电子邮件", "邮箱", "email", "e-mail", "emails", "newsletter"),
        "web": ("网站", "官网", "网页", "web", "website", "pc", "desktop"),
    },
    "marital_status": {
        "married": ("已婚", "结婚了", "结婚", "我老婆", "我老公", "我太太", "我妻子", "我丈夫", "我爱人", "媳妇",
                    "married", "my wife", "my husband", "my spouse", "my partner"),
        "single": ("单身", "未婚", "没结婚", "还没结婚", "没对象", "single", "unmarried", "not married"),
        "divorced": ("离异", "离婚", "离婚了", "divorced", "separated"),
        "widowed": ("丧偶", "widowed", "widow", "widower"),
    },
}  # fmt: skip

# Generic "life insurance" stands for both catalog kinds of life cover.
LIFE_GENERIC: tuple[str, ...] = ("term_life", "whole_life")

# Slots whose Chinese words still count inside a longer jieba word ("意外险种" still says accident);
# the others must be whole tokens (so "长沙发" is no city and "学会计" is no accountant).
SUBSTRING_SLOTS: frozenset[str] = frozenset(
    {"insurance_type", "finance_type", "product_type", "risk_hint", "channel", "marital_status"}
)

# Festival campaign names people write in several ways → one key.
CAMPAIGN_ALIASES: dict[str, str] = {
    "双十一": "double11", "双11": "double11", "double 11": "double11", "double eleven": "double11",
    "singles day": "double11", "双十二": "double12", "双12": "double12", "618": "618", "六一八": "618",
    "black friday": "black_friday", "黑五": "black_friday",
}  # fmt: skip
